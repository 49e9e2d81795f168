package kiban.runtime.bench;

import java.util.List;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;

/**
 * A stand-in model with the cost of a small network: a {@code width x width} matrix-vector
 * product per layer, {@code layers} layers, per chunk row, allocating its activations as a real
 * inference would. Its actions trace a slow sine so the shield has little to do.
 */
final class BenchPolicy implements UnbatchedPolicy {

    static final int HORIZON = 16;
    static final int ACTION_STEPS = 8;

    private final int width;
    private final int layers;
    private final double[] weights;
    private long calls;

    BenchPolicy(int width, int layers) {
        this.width = width;
        this.layers = layers;
        this.weights = new double[width * width];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = r.nextDouble(-1, 1) / width;
        }
    }

    @Override
    public PolicyMetadata metadata() {
        return new PolicyMetadata("bench", List.of(BenchMachine.STATE), List.of(BenchMachine.ACTION), 2, HORIZON, ACTION_STEPS);
    }

    @Override
    public double[][] inferOne(PolicyObservation[] observed) {
        double[][] history = PolicyObservation.states(observed);
        double[] x = new double[width];
        x[0] = history[history.length - 1][0];
        for (int l = 0; l < layers * HORIZON; l++) {
            double[] y = new double[width];
            for (int i = 0; i < width; i++) {
                double s = 0;
                for (int j = 0; j < width; j++) {
                    s += weights[i * width + j] * x[j];
                }
                y[i] = Math.tanh(s + 0.01);
            }
            x = y;
        }
        double[][] chunk = new double[HORIZON][BenchMachine.DIM];
        for (int t = 0; t < HORIZON; t++) {
            for (int i = 0; i < BenchMachine.DIM; i++) {
                chunk[t][i] = 0.5 * Math.sin((calls + t) * 0.01 + i) + 1e-9 * x[i % width];
            }
        }
        calls++;
        return chunk;
    }
}
