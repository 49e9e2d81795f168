package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * A network that samples its chunks and can inpaint the first outputs of one to given values
 * (real-time chunking): a trained policy whose network is one continues chunks
 * ({@code Policy.continuesChunks}), whatever its type.
 */
public interface ContinuingNetwork extends PolicyNetwork {

    /**
     * As {@link #predict}, every output of every chunk pulled toward {@code target} (normalised,
     * laid out as the chunk) as strongly as {@code guidance} weighs it, and its frozen outputs set
     * to their targets.
     */
    NDArray predictContinuing(ParameterStore parameters, NDArray observations, NDArray target, GuidanceWeights guidance);

    /**
     * As {@link #predict}, with the first {@code frozenOutputs} outputs of every chunk inpainted to
     * {@code frozen} (normalised, laid out as the chunk; the rest of it is ignored): a hard mask.
     */
    default NDArray predictContinuing(ParameterStore parameters, NDArray observations, NDArray frozen, int frozenOutputs) {
        return predictContinuing(parameters, observations, frozen,
                GuidanceWeights.hard(Math.toIntExact(frozen.getShape().get(1)), frozenOutputs));
    }
}
