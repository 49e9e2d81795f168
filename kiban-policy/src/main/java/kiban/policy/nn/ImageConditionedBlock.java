package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import kiban.core.policy.ImageSpec;

/**
 * A policy head conditioned on camera images as in Diffusion Policy's image variant: a
 * {@link FrameEncoder} per camera, or one all cameras share ({@link ImageEncoding#shared()}), turns
 * each step's frame into features, which are concatenated
 * with that step's encoded state. The network calls {@link #condition} once per batch (not once
 * per flow or diffusion step) and feeds the result, with whatever else it needs, to {@link #head()}.
 *
 * <p>Input rows are the encoded state history ({@code steps x stateDim}) followed by each camera's
 * frames in turn ({@code steps x channels x height x width}, values in [0, 1]); conditioning rows
 * are per step {@code [state, camera 0 features, camera 1 features, ...]}, steps in order.
 */
public final class ImageConditionedBlock extends AbstractBlock {

    private final int steps;
    private final int stateDim;
    private final List<ImageSpec> images;
    /** Per camera, in order; the same encoder repeated where the cameras share one. */
    private final List<FrameEncoder> encoders = new ArrayList<>();
    private final Block head;
    private final Shape headInput;

    /** As below, with {@link ImageEncoding#DEFAULT}'s encoder, one per camera. */
    public ImageConditionedBlock(int steps, int stateDim, List<ImageSpec> images, int features, Block head, Shape headInput) {
        this(steps, stateDim, images, features, ImageEncoding.DEFAULT, head, headInput);
    }

    /**
     * @param stateDim encoded state elements of one step
     * @param head the block the conditioning feeds, initialised with {@code headInput}
     */
    public ImageConditionedBlock(int steps, int stateDim, List<ImageSpec> images, int features, ImageEncoding encoding,
            Block head, Shape headInput) {
        super((byte) 1);
        this.steps = steps;
        this.stateDim = stateDim;
        this.images = List.copyOf(images);
        if (encoding.shared()) {
            // One encoder reads every camera's frames, so they must all be laid out alike.
            if (images.stream().map(i -> List.of(i.channels(), i.height(), i.width())).distinct().count() > 1) {
                throw new IllegalArgumentException("cameras that share an encoder must have one size; got " + images);
            }
            FrameEncoder one = addChildBlock("cameras", ImageEncoders.create(encoding.encoder(), images.getFirst(), features));
            images.forEach(s -> encoders.add(one));
        } else {
            for (int i = 0; i < images.size(); i++) {
                encoders.add(addChildBlock("camera" + i, ImageEncoders.create(encoding.encoder(), images.get(i), features)));
            }
        }
        this.head = addChildBlock("head", head);
        this.headInput = headInput;
    }

    /** Elements of one input row: the state history, then every camera's frame history. */
    public static long inputs(int steps, int stateDim, List<ImageSpec> images) {
        long n = (long) steps * stateDim;
        for (ImageSpec s : images) {
            n += (long) steps * s.bytes();
        }
        return n;
    }

    /** Elements of one conditioning row. */
    public static int conditionDim(int steps, int stateDim, int cameras, int features) {
        return steps * (stateDim + cameras * features);
    }

    public Block head() {
        return head;
    }

    /** {@code (B, inputs)} to {@code (B, steps * (stateDim + cameras * features))}. */
    public NDArray condition(ParameterStore store, NDArray observations, boolean training) {
        long b = observations.getShape().get(0);
        long at = (long) steps * stateDim;
        List<NDArray> parts = new ArrayList<>();
        parts.add(observations.get(new NDIndex(":, 0:{}", at)).reshape(b, steps, stateDim));
        for (int i = 0; i < encoders.size(); i++) {
            ImageSpec s = images.get(i);
            long size = (long) steps * s.bytes();
            NDArray slice = observations.get(new NDIndex(":, {}:{}", at, at + size));
            FrameEncoder encoder = encoders.get(i);
            NDArray frames = encoder.channelsLast() ? channelsLast(slice, b, steps, s)
                    : slice.reshape(b * steps, s.channels(), s.height(), s.width());
            NDArray features = encoder.forward(store, new NDList(frames), training).singletonOrThrow();
            parts.add(features.reshape(b, steps, -1));
            at += size;
        }
        return ai.djl.ndarray.NDArrays.concat(new NDList(parts), 2).reshape(b, -1);
    }

    /**
     * A camera's slice of the rows as {@code (frames, channels, height, width)} frames stored channels last
     * (NHWC strides), in the one copy the slice needs anyway to become dense. libtorch's oneDNN convolutions
     * then keep that layout through the encoder; on NCHW frames the backward pass of a strided convolution
     * reorders its input gradient from oneDNN's blocked layout back to NCHW, which cost libtorch 2.7 about
     * 35 ms of the cnn policy's 240 ms training step (docs/PERFORMANCE.md, "Image policy").
     */
    public static NDArray channelsLast(NDArray slice, long rows, int steps, ImageSpec s) {
        long c = s.channels();
        long h = s.height();
        long w = s.width();
        // Splitting the rows into steps and permuting are views; merging rows and steps copies, once.
        return slice.reshape(rows, steps, c, h, w).transpose(0, 1, 3, 4, 2).reshape(rows * steps, h, w * c)
                .reshape(rows * steps, h, w, c).transpose(0, 3, 1, 2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        // The head's other inputs (noisy actions, time) are the network's business; it calls condition and head.
        throw new UnsupportedOperationException("call condition(), then head()");
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (FrameEncoder e : new java.util.LinkedHashSet<>(encoders)) {
            e.initialize(manager, dataType, e.inputShape(1));
        }
        head.initialize(manager, dataType, headInput);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(new Shape[] {headInput});
    }
}
