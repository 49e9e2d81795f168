package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
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
public final class ImageEncoder extends ParameterBlock implements FrameEncoder {

    private static final int[] WIDTHS = {16, 32, 32, 32};
    private static final int[] STRIDES = {2, 2, 1, 1};
    /** He-style initialisation for ReLU convolutions (fan-in, magnitude 2). */
    private static final Initializer HE = new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);

    private final int channels;
    private final int height;
    private final int width;
    private final int features;
    private final List<Parameter[]> convs = new ArrayList<>();
    private final Dense out;

    public ImageEncoder(int channels, int height, int width, int features) {
        if (channels < 1 || height < 8 || width < 8 || features < 1) {
            throw new IllegalArgumentException("image encoder needs at least 8x8 pixels with a channel and a feature; got "
                    + channels + "x" + height + "x" + width + " -> " + features);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.features = features;
        int in = channels;
        for (int i = 0; i < WIDTHS.length; i++) {
            convs.add(new Parameter[] {
                param("conv" + i + "_weight", Parameter.Type.WEIGHT, HE, new Shape(WIDTHS[i], in, 3, 3)),
                param("conv" + i + "_bias", Parameter.Type.BIAS, Initializer.ZEROS, new Shape(WIDTHS[i]))});
            in = WIDTHS[i];
        }
        this.out = dense("keypoints_out", 2L * in, features);
    }

    /** Output features per image. */
    @Override
    public int features() {
        return features;
    }

    @Override
    public Shape inputShape(long batch) {
        return new Shape(batch, channels, height, width);
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
        for (int i = 0; i < convs.size(); i++) {
            Parameter[] c = convs.get(i);
            x = x.getNDArrayInternal().convolution(x, value(store, c[0], x, training), value(store, c[1], x, training),
                    new Shape(STRIDES[i], STRIDES[i]), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
            x = Activation.relu(x);
        }
        return new NDList(out.apply(store, spatialSoftmax(x), training));
    }

    /**
     * Per channel, the softmax-weighted mean position over the map, in [-1, 1]:
     * {@code (B, C, H, W) -> (B, 2C)} as x coordinates then y coordinates.
     */
    static NDArray spatialSoftmax(NDArray maps) {
        Shape s = maps.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDManager m = maps.getManager();
        // (B, C, H, W) -> (B, HW, C): a view of channels-last maps (what the encoders see in training), a
        // copy of NCHW ones; the softmax then runs over dimension 1, vectorised across the channels.
        NDArray weights = maps.transpose(0, 2, 3, 1).reshape(b, h * w, c).softmax(1);
        float[] grid = new float[(int) (2 * h * w)];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                grid[(int) (i * w + j)] = w == 1 ? 0 : -1f + 2f * j / (w - 1);
                grid[(int) (h * w + i * w + j)] = h == 1 ? 0 : -1f + 2f * i / (h - 1);
            }
        }
        // (2, HW) x (B, HW, C) -> (B, 2, C) -> (B, 2C): x coordinates, then y coordinates
        return m.create(grid, new Shape(2, h * w)).matMul(weights).reshape(b, 2 * c);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), features)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() != 4 || s.get(1) != channels || s.get(2) != height || s.get(3) != width) {
            throw new IllegalArgumentException("images must be (B, " + channels + ", " + height + ", " + width + "), got " + s);
        }
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }
}
