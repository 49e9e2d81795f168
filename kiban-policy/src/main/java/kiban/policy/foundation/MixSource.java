package kiban.policy.foundation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.error.InvalidInputException;

/**
 * One dataset of a pretraining mixture and its sampling weight: {@code DIR:WEIGHT} on the command
 * line, as Octo's and LeRobot's dataset mixtures are given, or {@code DIR:WEIGHT:EPISODES} for the
 * dataset's first {@code EPISODES} episodes only (a slice). A training step draws its batch from
 * one dataset, chosen with probability proportional to its weight.
 */
public record MixSource(Path dataset, double weight, int episodes) {

    /** Every episode. */
    public static final int ALL = Integer.MAX_VALUE;

    public MixSource {
        if (!(weight > 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("a mixture weight must be a positive number, got " + weight);
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("a slice needs at least one episode, got " + episodes);
        }
    }

    /** All of {@code dataset}'s episodes. */
    public MixSource(Path dataset, double weight) {
        this(dataset, weight, ALL);
    }

    /**
     * Parses {@code DIR[:WEIGHT[:EPISODES]],...} ({@code :WEIGHT} may be left out for 1). Errors
     * name {@code source} (the option) and the entry.
     */
    public static List<MixSource> parse(String text, String source) {
        List<MixSource> out = new ArrayList<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                throw new InvalidInputException(source, "", "DIR:WEIGHT entries separated by commas", "an empty entry in '" + text + "'");
            }
            int episodes = ALL;
            String[] parts = entry.split(":", -1);
            if (parts.length == 3) {
                String n = parts[2];
                episodes = n.matches("[1-9][0-9]{0,8}") ? Integer.parseInt(n) : -1;
                if (episodes < 1) {
                    throw new InvalidInputException(source, parts[0], "a positive number of episodes after the weight", "'" + n + "'");
                }
                entry = parts[0] + ":" + parts[1];
            } else if (parts.length > 3) {
                throw new InvalidInputException(source, "", "DIR[:WEIGHT[:EPISODES]]", "'" + entry + "'");
            }
            int colon = entry.lastIndexOf(':');
            String dir = colon < 0 ? entry : entry.substring(0, colon);
            double weight = 1;
            if (colon >= 0) {
                String w = entry.substring(colon + 1);
                try {
                    weight = Double.parseDouble(w);
                } catch (NumberFormatException e) {
                    weight = Double.NaN;
                }
                if (!(weight > 0) || !Double.isFinite(weight)) {
                    throw new InvalidInputException(source, dir, "a positive weight after ':'", "'" + w + "'");
                }
            }
            if (dir.isBlank()) {
                throw new InvalidInputException(source, "", "a dataset folder before ':'", "'" + entry + "'");
            }
            out.add(new MixSource(Path.of(dir), weight, episodes));
        }
        return List.copyOf(out);
    }
}
