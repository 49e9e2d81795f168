package kiban.cli;

import java.util.List;

/**
 * A sample mean with its two-sided 95% Student-t interval: the figure a table of per-episode
 * results shows, honest for the few dozen episodes a study runs.
 */
record MeanInterval(double mean, double low, double high, int n) {

    static MeanInterval of(List<Double> values) {
        int n = values.size();
        if (n == 0) {
            throw new IllegalArgumentException("no values");
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
        if (n == 1) {
            return new MeanInterval(mean, mean, mean, 1);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double half = t975(n - 1) * Math.sqrt(ss / (n - 1) / n);
        return new MeanInterval(mean, mean - half, mean + half, n);
    }

    /**
     * The 97.5% quantile of Student's t with {@code dof} degrees of freedom, by the Cornish-Fisher
     * expansion around the normal quantile (within 0.2% of the table from 5 degrees of freedom up).
     */
    static double t975(int dof) {
        double z = 1.959963984540054;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double nu = dof;
        return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu)
                + (3 * z5 * z * z + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu * nu * nu);
    }
}
