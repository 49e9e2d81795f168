package kiban.policy.train;

import ai.djl.ndarray.NDArray;

/** Global-norm gradient clipping over the flat gradients of all parameters. */
final class Gradients {

    private Gradients() {}

    /** The L2 norm of a flat gradient array. */
    static double globalNorm(NDArray flatGradients) {
        try (NDArray squares = flatGradients.dot(flatGradients)) {
            return Math.sqrt(squares.toFloatArray()[0]);
        }
    }

    /** The factor that brings a global norm down to at most {@code maxNorm}: 1 where it is already within. */
    static float clipScale(double norm, double maxNorm) {
        return norm > maxNorm ? (float) (maxNorm / (norm + 1e-6)) : 1f;
    }
}
