package kiban.sim.factory;

import java.util.SplittableRandom;

/** The few distributions the cell draws from, on the env's own seeded stream. */
final class Sampling {

    private Sampling() {}

    /** A Poisson count of mean {@code mean} by Knuth's product method; cheap for the small means of one minute. */
    static int poisson(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        double limit = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        while (p > limit) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    /**
     * A Gamma(shape, scale) draw (Marsaglia and Tsang 2000). Shapes below one, as the per-minute
     * increments of a Gamma wear process are, use the boost {@code G(shape + 1) * U^(1/shape)}.
     */
    static double gamma(SplittableRandom random, double shape, double scale) {
        if (shape <= 0) {
            return 0;
        }
        if (shape < 1) {
            double u = random.nextDouble();
            return gamma(random, shape + 1, scale) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v * scale;
            }
        }
    }

    /** A lognormal draw with the given median and log-space standard deviation, rounded up to whole minutes. */
    static int lognormalMinutes(SplittableRandom random, double median, double sigma) {
        return (int) Math.max(1, Math.ceil(median * Math.exp(sigma * random.nextGaussian())));
    }
}
