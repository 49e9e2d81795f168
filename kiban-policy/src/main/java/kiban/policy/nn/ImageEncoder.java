package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A small CNN for camera observations, a ResNet-lite in the spirit of Diffusion Policy's and
 * ACT's image encoders sized for a CPU: four 3x3 convolutions with ReLU (the first two with
 * stride 2), then a spatial softmax that turns each of the last layer's channels into the
 * expected image position of its activation (robomimic's keypoints, which Diffusion Policy
 * uses), then a linear layer. Input {@code (B, channels, height, width)} with values in [0, 1];
 * output {@code (B, features)}.
 */
public final class ImageEncoder extends KeypointEncoder implements FrameEncoder {

    private static final int[] WIDTHS = {16, 32, 32, 32};
    private static final int[] STRIDES = {2, 2, 1, 1};

    private final List<Conv> convs = new ArrayList<>();
    private final Dense out;

    public ImageEncoder(int channels, int height, int width, int features) {
        super("image encoder", 8, channels, height, width, features);
        int in = channels;
        for (int i = 0; i < WIDTHS.length; i++) {
            convs.add(conv("conv" + i, in, WIDTHS[i], 3, STRIDES[i]));
            in = WIDTHS[i];
        }
        this.out = dense("keypoints_out", 2L * in, features);
    }

    /**
     * Yes: in libtorch 2.7 the backward pass of the stride-2 convolution reorders its input gradient from
     * oneDNN's blocked layout back to NCHW, which channels-last frames avoid (docs/PERFORMANCE.md, "Image policy").
     */
    @Override
    public boolean channelsLast() {
        return true;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        for (Conv c : convs) {
            x = Activation.relu(c.apply(store, x, training));
        }
        return new NDList(out.apply(store, spatialSoftmax(x), training));
    }
}
