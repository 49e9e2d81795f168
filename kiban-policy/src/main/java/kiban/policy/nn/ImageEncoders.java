package kiban.policy.nn;

import java.util.List;
import kiban.core.policy.ImageSpec;

/** The camera encoders a config can name ({@code image_encoder}) and how each is built. */
public final class ImageEncoders {

    /** Four plain 3x3 convolutions with ReLU, then keypoints: the first image encoder, kept for its runs. */
    public static final String CNN = "cnn";
    /** Residual stages with GroupNorm, then 1x1-convolution keypoints: Diffusion Policy's recipe, scaled down. */
    public static final String RESNET = "resnet";
    public static final List<String> NAMES = List.of(CNN, RESNET);

    private ImageEncoders() {}

    /** The encoder {@code name} for frames laid out as {@code spec}, with {@code features} outputs. */
    public static FrameEncoder create(String name, ImageSpec spec, int features) {
        return switch (name) {
            case CNN -> new ImageEncoder(spec.channels(), spec.height(), spec.width(), features);
            case RESNET -> new ResNetEncoder(spec.channels(), spec.height(), spec.width(), features);
            default -> throw new IllegalArgumentException("unknown image encoder \"" + name + "\"; one of " + NAMES);
        };
    }
}
