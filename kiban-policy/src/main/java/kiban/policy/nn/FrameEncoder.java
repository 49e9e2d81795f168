package kiban.policy.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/**
 * A CNN that turns camera frames {@code (B, channels, height, width)}, values in [0, 1], into
 * {@code (B, features())} features: {@link ImageEncoder} (four plain convolutions, {@code cnn}) or
 * {@link ResNetEncoder} (residual stages with GroupNorm and keypoints, {@code resnet}).
 */
public sealed interface FrameEncoder extends Block permits ImageEncoder, ResNetEncoder {

    /** Output features per frame. */
    int features();

    /** The input shape of a batch of {@code batch} frames. */
    Shape inputShape(long batch);

    /**
     * Whether this encoder runs faster on frames stored channels last (NHWC strides behind the NCHW shape); it
     * computes the same either way. {@link ImageConditionedBlock} lays its frames out so.
     */
    default boolean channelsLast() {
        return false;
    }
}
