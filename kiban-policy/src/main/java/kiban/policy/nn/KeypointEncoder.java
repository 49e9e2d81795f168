package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * What the camera encoders share: frames {@code (B, channels, height, width)} in, {@code (B, features)}
 * out, He-initialised convolutions, and the spatial softmax that turns each of the last maps into
 * its expected image position (robomimic's keypoints, which Diffusion Policy uses) before a linear
 * layer. Each subclass builds its convolutions and its forward pass.
 */
abstract sealed class KeypointEncoder extends ParameterBlock permits ImageEncoder, ResNetEncoder {

    /** He-style initialisation for ReLU convolutions (fan-in, magnitude 2). */
    private static final Initializer HE = new XavierInitializer(
            XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2);

    private final int channels;
    private final int height;
    private final int width;
    private final int features;

    /** {@code name} and {@code minSide}, the smallest frame side it takes, for the error a wrong size gets. */
    KeypointEncoder(String name, int minSide, int channels, int height, int width, int features) {
        if (channels < 1 || height < minSide || width < minSide || features < 1) {
            throw new IllegalArgumentException(name + " needs at least " + minSide + "x" + minSide
                    + " pixels with a channel and a feature; got " + channels + "x" + height + "x" + width + " -> " + features);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.features = features;
    }

    /** Output features per image. */
    public int features() {
        return features;
    }

    public Shape inputShape(long batch) {
        return new Shape(batch, channels, height, width);
    }

    /** A square {@code kernel} convolution with bias, padded to keep the map's size at stride 1. */
    protected final Conv conv(String name, int in, int outChannels, int kernel, int stride) {
        return new Conv(param(name + "_weight", Parameter.Type.WEIGHT, HE, new Shape(outChannels, in, kernel, kernel)),
                param(name + "_bias", Parameter.Type.BIAS, Initializer.ZEROS, new Shape(outChannels)), stride, kernel / 2);
    }

    /** A 2-D convolution with square kernel, {@code stride} and zero {@code padding}. */
    protected record Conv(Parameter weight, Parameter bias, int stride, int padding) {
        NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return x.getNDArrayInternal().convolution(x, value(store, weight, x, training), value(store, bias, x, training),
                    new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
        }
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
