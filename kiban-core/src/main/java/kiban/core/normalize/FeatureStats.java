package kiban.core.normalize;

import java.util.Arrays;

/**
 * Per-element statistics of one feature, with LeRobot's {@code stats.json} fields. Standard
 * deviation is the population one (numpy's default), quantiles interpolate linearly between
 * order statistics (numpy's default method).
 */
public record FeatureStats(
        long count,
        double[] min,
        double[] max,
        double[] mean,
        double[] std,
        double[] q01,
        double[] q10,
        double[] q50,
        double[] q90,
        double[] q99) {

    /** Quantile levels held, in the order of the fields. */
    public static final double[] QUANTILES = {0.01, 0.10, 0.50, 0.90, 0.99};

    public FeatureStats {
        int n = min.length;
        for (double[] a : new double[][] {max, mean, std, q01, q10, q50, q90, q99}) {
            if (a.length != n) {
                throw new IllegalArgumentException("every statistic needs " + n + " elements, got " + a.length);
            }
        }
    }

    public int dimension() {
        return min.length;
    }

    /** Exact statistics of {@code rows}, each a sample of the feature's {@code dimension} elements. */
    public static FeatureStats fit(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("cannot fit statistics on no samples");
        }
        int dim = rows[0].length;
        double[][] q = new double[QUANTILES.length][dim];
        double[] min = new double[dim];
        double[] max = new double[dim];
        double[] mean = new double[dim];
        double[] std = new double[dim];
        double[] column = new double[rows.length];
        for (int j = 0; j < dim; j++) {
            double sum = 0;
            for (int i = 0; i < rows.length; i++) {
                if (rows[i].length != dim) {
                    throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " elements, expected " + dim);
                }
                column[i] = rows[i][j];
                sum += column[i];
            }
            mean[j] = sum / rows.length;
            double sq = 0;
            for (double v : column) {
                sq += (v - mean[j]) * (v - mean[j]);
            }
            std[j] = Math.sqrt(sq / rows.length);
            Arrays.sort(column);
            min[j] = column[0];
            max[j] = column[column.length - 1];
            for (int k = 0; k < QUANTILES.length; k++) {
                q[k][j] = quantileOfSorted(column, QUANTILES[k]);
            }
        }
        return new FeatureStats(rows.length, min, max, mean, std, q[0], q[1], q[2], q[3], q[4]);
    }

    /** numpy's linear-interpolation quantile of sorted values. */
    public static double quantileOfSorted(double[] sorted, double level) {
        double pos = level * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureStats s && count == s.count && Arrays.equals(min, s.min) && Arrays.equals(max, s.max)
                && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std) && Arrays.equals(q01, s.q01)
                && Arrays.equals(q10, s.q10) && Arrays.equals(q50, s.q50) && Arrays.equals(q90, s.q90)
                && Arrays.equals(q99, s.q99);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Arrays.hashCode(mean);
    }

    @Override
    public String toString() {
        return "FeatureStats[count=" + count + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
