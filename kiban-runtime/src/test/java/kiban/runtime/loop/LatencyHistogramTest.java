package kiban.runtime.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinTheBucketPrecisionOfTheSortedSamples() {
        SplittableRandom r = new SplittableRandom(5);
        long[] v = new long[100_000];
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) Math.exp(r.nextDouble(0, 20)); // 1 ns .. 0.5 s, log-uniform
            h.record(v[i]);
        }
        Arrays.sort(v);
        for (double q : new double[] {0.5, 0.99, 0.999}) {
            long exact = v[(int) Math.ceil(q * v.length) - 1];
            assertThat((double) h.percentile(q)).isBetween(exact * 0.99, exact * 1.01 + 1);
        }
        assertThat(h.max()).isEqualTo(v[v.length - 1]);
        assertThat(h.count()).isEqualTo(v.length);
    }

    @Property(tries = 200)
    void everyValueLandsInABucketWhoseUpperEdgeBoundsIt(@ForAll @LongRange(min = 0, max = 1L << 41) long v) {
        int i = LatencyHistogram.index(v);
        assertThat(LatencyHistogram.upper(i)).isGreaterThanOrEqualTo(v).isLessThanOrEqualTo(v + v / 128 + 1);
        if (i > 0) {
            assertThat(LatencyHistogram.upper(i - 1)).isLessThan(v);
        }
    }
}
