package kiban.policy.model;

import kiban.core.normalize.NormalizationMode;

/**
 * The normalised action chunk a network predicts: {@code horizon} steps of {@code outputs / horizon}
 * elements, normalised as {@code normalization} (min-max puts actions in [-1, 1], which diffusion
 * sampling clips to).
 */
public record ChunkSpec(int horizon, int outputs, NormalizationMode normalization) {

    public ChunkSpec {
        if (horizon < 1 || outputs < 1) {
            throw new IllegalArgumentException("a chunk needs a positive horizon and outputs, got " + horizon + " and " + outputs);
        }
    }
}
