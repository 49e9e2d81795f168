package kiban.data.sample;

import java.util.List;
import java.util.SplittableRandom;
import kiban.core.error.InvalidInputException;

/**
 * Samples from several sources in proportion to weights. Sample {@code i} picks its source and the
 * index inside it from a generator seeded with {@code (seed, i)}, so it is reproducible and
 * independent of the order in which samples are drawn.
 */
public final class Mixture implements SampleSource {

    private final List<SampleSource> sources;
    private final double[] cumulative;
    private final int size;
    private final long seed;

    /** {@code size} samples per epoch from {@code sources} with relative {@code weights}. */
    public Mixture(List<SampleSource> sources, double[] weights, int size, long seed) {
        if (sources.isEmpty() || sources.size() != weights.length) {
            throw new InvalidInputException("mixture", "weights", "one weight per source (" + sources.size() + ")",
                    weights.length + " weights");
        }
        double total = 0;
        cumulative = new double[weights.length];
        for (int k = 0; k < weights.length; k++) {
            if (!(weights[k] >= 0) || Double.isInfinite(weights[k]) || (weights[k] > 0 && sources.get(k).size() == 0)) {
                throw new InvalidInputException("mixture", "weights[" + k + "]", "a finite weight >= 0 for a non-empty source",
                        Double.toString(weights[k]));
            }
            total += weights[k];
            cumulative[k] = total;
        }
        if (total <= 0) {
            throw new InvalidInputException("mixture", "weights", "a positive sum", Double.toString(total));
        }
        for (int k = 0; k < cumulative.length; k++) {
            cumulative[k] /= total;
        }
        this.sources = List.copyOf(sources);
        this.size = size;
        this.seed = seed;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int i) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
        double u = rnd.nextDouble();
        int k = 0;
        while (k < cumulative.length - 1 && u >= cumulative[k]) {
            k++;
        }
        SampleSource s = sources.get(k);
        return s.get(rnd.nextInt(s.size()));
    }

    /** Which source sample {@code i} comes from (for tests and logging). */
    public int sourceOf(int i) {
        double u = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i).nextDouble();
        int k = 0;
        while (k < cumulative.length - 1 && u >= cumulative[k]) {
            k++;
        }
        return k;
    }
}
