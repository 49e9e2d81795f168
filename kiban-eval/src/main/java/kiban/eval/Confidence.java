package kiban.eval;

/** Confidence intervals for rates measured on few episodes. */
public final class Confidence {

    /** The normal quantile of a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    private Confidence() {}

    /**
     * The Wilson score interval of a success rate, which stays inside [0, 1] and is honest at
     * 0 or n successes, unlike the normal approximation.
     */
    public static double[] wilson(long successes, long trials, double z) {
        if (trials == 0) {
            return new double[] {0, 1};
        }
        double p = successes / (double) trials;
        double z2 = z * z;
        double centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
        double half = z * Math.sqrt(p * (1 - p) / trials + z2 / (4.0 * trials * trials)) / (1 + z2 / trials);
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
