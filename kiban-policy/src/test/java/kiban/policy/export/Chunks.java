package kiban.policy.export;

/** Comparing action chunks in the export tests, here and in the foundation's. */
public final class Chunks {

    private Chunks() {}

    /** The largest absolute difference between two chunks' elements. */
    public static double maxDifference(double[][] a, double[][] b) {
        double worst = 0;
        for (int h = 0; h < a.length; h++) {
            for (int j = 0; j < a[h].length; j++) {
                worst = Math.max(worst, Math.abs(a[h][j] - b[h][j]));
            }
        }
        return worst;
    }
}
