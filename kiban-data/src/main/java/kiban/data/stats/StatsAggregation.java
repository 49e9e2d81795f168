package kiban.data.stats;

import java.util.Arrays;
import java.util.Collection;
import kiban.core.normalize.FeatureStats;

/**
 * LeRobot's {@code aggregate_stats}: count-weighted mean, pooled variance, element-wise min and max,
 * summed count. Quantiles cannot be pooled exactly; they are the count-weighted mean of the parts'
 * quantiles (LeRobot does the same) or NaN where a part has none.
 */
public final class StatsAggregation {

    private StatsAggregation() {
    }

    public static FeatureStats aggregate(Collection<FeatureStats> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to aggregate");
        }
        int d = parts.iterator().next().dimension();
        double[] min = filled(d, Double.POSITIVE_INFINITY);
        double[] max = filled(d, Double.NEGATIVE_INFINITY);
        double[] mean = new double[d];
        double[] var = new double[d];
        double[][] q = new double[5][d];
        long n = 0;
        for (FeatureStats s : parts) {
            if (s.dimension() != d) {
                throw new IllegalArgumentException("stats of dimension " + s.dimension() + " and " + d + " cannot be pooled");
            }
            n += s.count();
            for (int j = 0; j < d; j++) {
                min[j] = Math.min(min[j], s.min()[j]);
                max[j] = Math.max(max[j], s.max()[j]);
                mean[j] += s.mean()[j] * s.count();
                double[][] sq = {s.q01(), s.q10(), s.q50(), s.q90(), s.q99()};
                for (int k = 0; k < 5; k++) {
                    q[k][j] += sq[k][j] * s.count();
                }
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
            for (int k = 0; k < 5; k++) {
                q[k][j] /= n;
            }
        }
        for (FeatureStats s : parts) {
            for (int j = 0; j < d; j++) {
                double dm = s.mean()[j] - mean[j];
                var[j] += (s.std()[j] * s.std()[j] + dm * dm) * s.count();
            }
        }
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(var[j] / n);
        }
        return new FeatureStats(n, min, max, mean, std, q[0], q[1], q[2], q[3], q[4]);
    }

    static double[] filled(int d, double v) {
        double[] a = new double[d];
        Arrays.fill(a, v);
        return a;
    }

    /** Whether the stats carry quantiles (stats read from files without them hold NaN). */
    public static boolean hasQuantiles(FeatureStats s) {
        return s.dimension() == 0 || !Double.isNaN(s.q01()[0]);
    }
}
