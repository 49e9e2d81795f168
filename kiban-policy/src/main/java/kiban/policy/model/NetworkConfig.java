package kiban.policy.model;

import kiban.core.normalize.NormalizationMode;
import kiban.policy.nn.ImageEncoding;

/**
 * What decides a policy's network: its type's settings and the few shared ones a network reads.
 * The training config implements it, so networks are built from it without the model depending on
 * training.
 */
public interface NetworkConfig {

    /** The policy type's own settings; its {@link PolicyConfig#type()} names the type. */
    PolicyConfig model();

    /** Observation frames each prediction reads. */
    int observationSteps();

    /** Actions in a predicted chunk. */
    int horizon();

    NormalizationMode normalization();

    /** Outputs of the CNN that encodes each camera's frame. */
    int imageFeatureDim();

    /** Which CNN encodes the frames and whether the cameras share it. */
    default ImageEncoding imageEncoding() {
        return ImageEncoding.DEFAULT;
    }
}
