package kiban.data.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.error.InvalidInputException;

/** A train/validation split by whole episodes, so no episode leaks into both. */
public record EpisodeSplit(List<Integer> train, List<Integer> validation) {

    /**
     * Shuffles episodes {@code 0..episodes-1} with {@code seed} and puts {@code round(fraction * episodes)}
     * (at least one when fraction > 0) into validation; both lists come back sorted.
     */
    public static EpisodeSplit of(int episodes, double validationFraction, long seed) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new InvalidInputException("split", "validation_fraction", "a fraction in [0, 1)", Double.toString(validationFraction));
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < episodes; i++) {
            all.add(i);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = all.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Integer t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        int nVal = validationFraction == 0 ? 0 : Math.max(1, (int) Math.round(validationFraction * episodes));
        if (nVal >= episodes && episodes > 0) {
            throw new InvalidInputException("split", "validation_fraction", "leaving at least one training episode",
                    validationFraction + " of " + episodes + " episodes");
        }
        List<Integer> val = new ArrayList<>(all.subList(0, nVal));
        List<Integer> train = new ArrayList<>(all.subList(nVal, all.size()));
        val.sort(null);
        train.sort(null);
        return new EpisodeSplit(List.copyOf(train), List.copyOf(val));
    }
}
