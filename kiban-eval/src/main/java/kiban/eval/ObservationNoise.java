package kiban.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.UnknownNameException;

/**
 * Zero-mean Gaussian noise added to named observation features before the policy reads them: a
 * sensor that is not exact, or a state a perception model estimates (PushT's block pose read from
 * the camera). The standard deviation is in the feature's own units, the same for each of its
 * elements. Each observation draws its noise once, so a policy reading a history sees each step
 * as it was first observed, and an episode draws from its own seed, so evaluations repeat.
 */
public record ObservationNoise(Map<String, Double> deviations) {

    /** No noise: the observation as the env gives it. */
    public static final ObservationNoise NONE = new ObservationNoise(Map.of());

    public ObservationNoise {
        deviations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deviations));
        deviations.forEach((name, sd) -> {
            if (!(sd >= 0) || Double.isInfinite(sd)) {
                throw new IllegalArgumentException("the noise of " + name + " must be a finite standard deviation >= 0, got " + sd);
            }
        });
    }

    public boolean isNone() {
        return deviations.values().stream().allMatch(sd -> sd == 0);
    }

    /** Each element's standard deviation in an observation laid out as {@code features}; names they lack are refused. */
    public double[] perElement(List<FeatureSpec> features) {
        List<String> names = features.stream().map(FeatureSpec::name).toList();
        for (String name : deviations.keySet()) {
            if (!names.contains(name)) {
                throw new UnknownNameException("observation feature", name, names);
            }
        }
        double[] sd = new double[features.stream().mapToInt(FeatureSpec::size).sum()];
        int at = 0;
        for (FeatureSpec f : features) {
            java.util.Arrays.fill(sd, at, at + f.size(), deviations.getOrDefault(f.name(), 0.0));
            at += f.size();
        }
        return sd;
    }

    /** One episode's noise: a generator seeded by the episode's seed, over elements with deviations {@code sd}. */
    static final class Draw {
        private final double[] sd;
        private final SplittableRandom random;

        Draw(double[] sd, long episodeSeed) {
            this.sd = sd;
            // Mixed so that it is not the stream the env or a sampling policy starts from the same seed.
            this.random = new SplittableRandom(episodeSeed * 0x9E3779B97F4A7C15L + 0x6A09E667F3BCC909L);
        }

        /** A noisy copy of {@code state}. */
        double[] apply(double[] state) {
            double[] out = state.clone();
            for (int i = 0; i < out.length; i++) {
                if (sd[i] > 0) {
                    out[i] += sd[i] * random.nextGaussian();
                }
            }
            return out;
        }
    }
}
