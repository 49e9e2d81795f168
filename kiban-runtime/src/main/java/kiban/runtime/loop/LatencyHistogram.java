package kiban.runtime.loop;

/**
 * Counts of non-negative nanosecond values in log-linear buckets (as HdrHistogram: 128 buckets per
 * power of two, so a percentile is exact to within 0.8%), with the exact maximum. Recording never
 * allocates, so the control loop can record every cycle. Not thread-safe.
 */
public final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    /** Up to 2^42 ns (about 73 minutes); larger values land in the last bucket. */
    private static final int MAX_EXPONENT = 42 - SUB_BITS;

    private final long[] counts = new long[2 * SUB + MAX_EXPONENT * SUB];
    private long total;
    private long max;
    private double sum;

    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        sum += v;
        max = Math.max(max, v);
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    public double mean() {
        return total == 0 ? 0 : sum / total;
    }

    /** The value at quantile {@code q} (0..1): the upper edge of the bucket holding it, at most the maximum. */
    public long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, upper(i));
            }
        }
        return max;
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
        sum = 0;
    }

    static int index(long v) {
        if (v < 2 * SUB) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v) - SUB_BITS;
        if (e > MAX_EXPONENT) {
            return 2 * SUB + (MAX_EXPONENT - 1) * SUB + SUB - 1;
        }
        return 2 * SUB + (e - 1) * SUB + (int) ((v >>> e) - SUB);
    }

    static long upper(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int e = (index - 2 * SUB) / SUB + 1;
        long mantissa = (index - 2 * SUB) % SUB + SUB;
        return ((mantissa + 1) << e) - 1;
    }
}
