package kiban.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

/** Gradient housekeeping between backward and the optimiser step. */
final class Gradients {

    private Gradients() {}

    /** Scales all gradients so their global L2 norm is at most {@code maxNorm}; returns the norm before. */
    static double clipGlobalNorm(PairList<String, Parameter> parameters, double maxNorm) {
        double sumSquares = 0;
        try (NDScope scope = new NDScope()) {
            NDArray total = null;
            for (Pair<String, Parameter> p : parameters) {
                NDArray s = p.getValue().getArray().getGradient().square().sum();
                total = total == null ? s : total.add(s);
            }
            sumSquares = total.getFloat();
        }
        double norm = Math.sqrt(sumSquares);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            try (NDScope scope = new NDScope()) {
                for (Pair<String, Parameter> p : parameters) {
                    p.getValue().getArray().getGradient().muli(scale);
                }
            }
        }
        return norm;
    }

    /** Zeroes the accumulated gradients, as PyTorch's {@code zero_grad}. */
    static void zero(PairList<String, Parameter> parameters) {
        try (NDScope scope = new NDScope()) {
            for (Pair<String, Parameter> p : parameters) {
                p.getValue().getArray().getGradient().muli(0f);
            }
        }
    }
}
