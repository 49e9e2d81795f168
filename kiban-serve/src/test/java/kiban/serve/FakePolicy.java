package kiban.serve;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;

/** A policy with an exact formula, for server tests: two observations of three, chunks of 4 x 2. */
class FakePolicy implements UnbatchedPolicy {

    static final PolicyMetadata METADATA = new PolicyMetadata("fake",
            List.of(feature("pos", 2), feature("target", 1)), List.of(feature("velocity", 2)), 2, 4, 2);

    final double offset;
    final long sleepMillis;
    final AtomicInteger largestBatch = new AtomicInteger();
    final AtomicInteger passes = new AtomicInteger();
    volatile boolean closed;

    FakePolicy(double offset, long sleepMillis) {
        this.offset = offset;
        this.sleepMillis = sleepMillis;
    }

    static FeatureSpec feature(String name, int size) {
        return new FeatureSpec(name, "m", List.of(size), List.of(), java.util.Collections.nCopies(size, -10.0),
                java.util.Collections.nCopies(size, 10.0), List.of());
    }

    /** The formula: row h, column a is (h + 1)(a + 1) times the sum of the history, plus the offset. */
    static double[][] expected(double[][] history, double offset) {
        double sum = 0;
        for (double[] o : history) {
            for (double v : o) {
                sum += v;
            }
        }
        double[][] out = new double[4][2];
        for (int h = 0; h < 4; h++) {
            for (int a = 0; a < 2; a++) {
                out[h][a] = (h + 1) * (a + 1) * sum + offset;
            }
        }
        return out;
    }

    @Override
    public PolicyMetadata metadata() {
        return METADATA;
    }

    @Override
    public double[][] inferOne(PolicyObservation[] observed) {
        double[][] history = PolicyObservation.states(observed);
        if (history.length != 2) {
            throw new IllegalArgumentException("two observations, got " + history.length);
        }
        return expected(history, offset);
    }

    @Override
    public double[][][] inferBatch(PolicyObservation[][] histories) {
        largestBatch.accumulateAndGet(histories.length, Math::max);
        passes.incrementAndGet();
        if (sleepMillis > 0) {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return UnbatchedPolicy.super.inferBatch(histories);
    }

    @Override
    public void close() {
        closed = true;
    }
}
