package kiban.data.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import kiban.core.normalize.FeatureStats;
import org.junit.jupiter.api.Test;

class RunningStatsTest {

    @Test
    void exactBelowTheBufferAndWithinTheBoundAbove() {
        SplittableRandom rnd = new SplittableRandom(42);
        int n = 60_000;
        double[][] rows = new double[n][];
        RunningStats rs = new RunningStats(3);
        RunningStats small = new RunningStats(3);
        for (int i = 0; i < n; i++) {
            // A drifting, skewed mix, so the histogram has to grow in both directions.
            double t = (double) i / n;
            rows[i] = new double[] {rnd.nextGaussian(), Math.exp(2 * rnd.nextGaussian()) - 5 * t, -3 + 10 * t * rnd.nextDouble()};
            rs.add(rows[i], 0);
            if (i < 1000) {
                small.add(rows[i], 0);
            }
        }
        FeatureStats exact = FeatureStats.fit(rows);
        FeatureStats got = rs.toFeatureStats();
        assertThat(got.count()).isEqualTo(n);
        for (int j = 0; j < 3; j++) {
            assertThat(got.min()[j]).isEqualTo(exact.min()[j]);
            assertThat(got.max()[j]).isEqualTo(exact.max()[j]);
            assertThat(got.mean()[j]).isCloseTo(exact.mean()[j], within(1e-9 * (1 + Math.abs(exact.mean()[j]))));
            assertThat(got.std()[j]).isCloseTo(exact.std()[j], within(1e-9 * exact.std()[j]));
            double bound = 2 * (exact.max()[j] - exact.min()[j]) / RunningStats.BINS;
            assertThat(got.q01()[j]).isCloseTo(exact.q01()[j], within(bound));
            assertThat(got.q50()[j]).isCloseTo(exact.q50()[j], within(bound));
            assertThat(got.q99()[j]).isCloseTo(exact.q99()[j], within(bound));
        }
        double[][] first = java.util.Arrays.copyOf(rows, 1000);
        assertThat(small.toFeatureStats().q10()).isEqualTo(FeatureStats.fit(first).q10());
    }

    @Test
    void aggregationPoolsVariance() {
        double[][] a = {{1}, {2}, {3}};
        double[][] b = {{10}, {20}};
        double[][] all = {{1}, {2}, {3}, {10}, {20}};
        FeatureStats pooled = StatsAggregation.aggregate(java.util.List.of(FeatureStats.fit(a), FeatureStats.fit(b)));
        FeatureStats exact = FeatureStats.fit(all);
        assertThat(pooled.count()).isEqualTo(5);
        assertThat(pooled.mean()[0]).isCloseTo(exact.mean()[0], within(1e-12));
        assertThat(pooled.std()[0]).isCloseTo(exact.std()[0], within(1e-12));
        assertThat(pooled.min()[0]).isEqualTo(1);
        assertThat(pooled.max()[0]).isEqualTo(20);
    }
}
