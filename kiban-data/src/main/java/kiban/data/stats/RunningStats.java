package kiban.data.stats;

import java.util.Arrays;
import kiban.core.normalize.FeatureStats;

/**
 * Statistics of a {@code dimension}-element feature fed one sample at a time, in one pass with
 * memory independent of the number of samples.
 *
 * <p>min, max, mean and std are exact up to double rounding (Welford's update). Quantiles come from
 * the first {@value #EXACT} samples exactly (numpy's linear method); beyond that from a histogram of
 * {@value #BINS} equal bins per element whose range doubles (merging bin pairs, so no mass moves
 * between bins wrongly) whenever a sample falls outside it. The range then never exceeds twice the
 * data's spread, so a histogram quantile is within {@code 2 * (max - min) / 4096} (0.05 % of the
 * spread) of a value between the neighbouring order statistics, and always inside [min, max].
 */
public final class RunningStats {

    /** Samples kept exactly before switching to the histogram. */
    public static final int EXACT = 4096;
    /** Histogram bins per element. */
    public static final int BINS = 4096;

    private final int dim;
    private long count;
    private final double[] min;
    private final double[] max;
    private final double[] mean;
    private final double[] m2;
    private double[] exact;
    private long[][] hist;
    private double[] lo;
    private double[] width;

    public RunningStats(int dimension) {
        this.dim = dimension;
        this.min = new double[dim];
        this.max = new double[dim];
        this.mean = new double[dim];
        this.m2 = new double[dim];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        this.exact = new double[Math.min(EXACT, 64) * dim];
    }

    /** An independent copy: adding to one does not change the other. */
    public RunningStats copy() {
        RunningStats c = new RunningStats(dim);
        c.count = count;
        System.arraycopy(min, 0, c.min, 0, dim);
        System.arraycopy(max, 0, c.max, 0, dim);
        System.arraycopy(mean, 0, c.mean, 0, dim);
        System.arraycopy(m2, 0, c.m2, 0, dim);
        c.exact = exact == null ? null : exact.clone();
        if (hist != null) {
            c.hist = new long[dim][];
            for (int j = 0; j < dim; j++) {
                c.hist[j] = hist[j].clone();
            }
            c.lo = lo.clone();
            c.width = width.clone();
        }
        return c;
    }

    public int dimension() {
        return dim;
    }

    public long count() {
        return count;
    }

    /** Adds one sample of {@code dimension} elements starting at {@code values[offset]}. */
    public void add(float[] values, int offset) {
        double[] row = new double[dim];
        for (int j = 0; j < dim; j++) {
            row[j] = values[offset + j];
        }
        add(row, 0);
    }

    /** Adds one sample of {@code dimension} elements starting at {@code values[offset]}. */
    public void add(double[] values, int offset) {
        count++;
        for (int j = 0; j < dim; j++) {
            double x = values[offset + j];
            if (x < min[j]) {
                min[j] = x;
            }
            if (x > max[j]) {
                max[j] = x;
            }
            double d = x - mean[j];
            mean[j] += d / count;
            m2[j] += d * (x - mean[j]);
        }
        if (count <= EXACT) {
            int base = (int) (count - 1) * dim;
            if (base + dim > exact.length) {
                exact = Arrays.copyOf(exact, Math.min(EXACT * dim, exact.length * 2));
            }
            System.arraycopy(values, offset, exact, base, dim);
            if (count == EXACT) {
                startHistogram();
            }
        } else {
            for (int j = 0; j < dim; j++) {
                bin(j, values[offset + j]);
            }
        }
    }

    private void startHistogram() {
        hist = new long[dim][BINS];
        lo = new double[dim];
        width = new double[dim];
        for (int j = 0; j < dim; j++) {
            double spread = max[j] - min[j];
            // A margin so that mild drift does not force an immediate doubling.
            double w = spread > 0 ? spread * 1.25 / BINS : Math.max(Math.abs(min[j]) * 1e-6, 1e-12);
            lo[j] = min[j] - spread * 0.125;
            width[j] = w;
        }
        for (int i = 0; i < EXACT; i++) {
            for (int j = 0; j < dim; j++) {
                bin(j, exact[i * dim + j]);
            }
        }
        exact = null;
    }

    private void bin(int j, double x) {
        if (Double.isNaN(x)) {
            return;
        }
        while (x < lo[j] || x >= lo[j] + width[j] * BINS) {
            grow(j, x < lo[j]);
        }
        int b = (int) ((x - lo[j]) / width[j]);
        hist[j][Math.min(b, BINS - 1)]++;
    }

    /** Doubles the bin width, extending the range downwards or upwards. */
    private void grow(int j, boolean down) {
        long[] h = hist[j];
        long[] n = new long[BINS];
        int shift = down ? BINS / 2 : 0;
        for (int b = 0; b < BINS; b++) {
            n[shift + b / 2] += h[b];
        }
        hist[j] = n;
        if (down) {
            lo[j] -= width[j] * BINS;
        }
        width[j] *= 2;
    }

    /** The statistics so far; std is the population standard deviation. */
    public FeatureStats toFeatureStats() {
        if (count == 0) {
            throw new IllegalStateException("no samples");
        }
        double[] std = new double[dim];
        for (int j = 0; j < dim; j++) {
            std[j] = Math.sqrt(Math.max(0, m2[j] / count));
        }
        double[][] q = new double[FeatureStats.QUANTILES.length][dim];
        for (int j = 0; j < dim; j++) {
            for (int k = 0; k < q.length; k++) {
                q[k][j] = quantile(j, FeatureStats.QUANTILES[k]);
            }
        }
        return new FeatureStats(count, min.clone(), max.clone(), mean.clone(), std, q[0], q[1], q[2], q[3], q[4]);
    }

    private double quantile(int j, double level) {
        if (hist == null) {
            double[] col = new double[(int) count];
            for (int i = 0; i < count; i++) {
                col[i] = exact[i * dim + j];
            }
            Arrays.sort(col);
            return FeatureStats.quantileOfSorted(col, level);
        }
        long total = 0;
        for (long c : hist[j]) {
            total += c;
        }
        double target = level * total;
        long cum = 0;
        for (int b = 0; b < BINS; b++) {
            long c = hist[j][b];
            if (c > 0 && cum + c >= target) {
                double frac = (target - cum) / c;
                double v = lo[j] + (b + frac) * width[j];
                return Math.min(max[j], Math.max(min[j], v));
            }
            cum += c;
        }
        return max[j];
    }
}
