package kiban.policy.foundation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import kiban.core.policy.ImageSpec;
import kiban.policy.model.FlowSampling;
import kiban.policy.nn.FrameEncoder;
import kiban.policy.nn.ImageConditionedBlock;
import kiban.policy.nn.ImageEncoders;
import kiban.policy.nn.ParameterBlock;
import kiban.policy.nn.TransformerLayer;

/**
 * The foundation policy's network, after GR00T N1 and pi0: per embodiment, a state encoder, an
 * action encoder, an action decoder and an embodiment token; shared by all, an embedding of the
 * instruction's word tokens, a flow-time encoder and a transformer trunk. One sequence per sample
 * is {@code [embodiment, states (one token per observation step), instruction tokens, image tokens,
 * noisy actions (one token per chunk row, plus the flow time)]} with learned positions; the trunk
 * attends over all of it, and the embodiment's decoder reads each action token's output as that
 * row's velocity. An embodiment with cameras has a CNN per camera (Octo's and GR00T's image
 * tokenizers, scaled to a CPU) whose features become one token per camera and observation step,
 * placed by positions of the embodiment's own, so that the shared positions, and every
 * camera-less embodiment's sequence, stay as they were. A batch is one embodiment's.
 * Per-embodiment parameters are named {@code e<index>_...} (a camera's CNN's, as a child block's,
 * {@code NNe<index>_camera<j>_...}), so an embodiment added by fine-tuning appends parameters and
 * leaves the names of the rest, and the checkpoints they load from, as they were.
 */
final class FoundationTransformer extends ParameterBlock {

    /** One embodiment's encoders and decoder; {@code imageIn} and {@code imagePosition} are null without cameras. */
    private record Heads(int stateDim, int actionDim, Dense stateIn, Dense actionIn, Dense actionOut, Parameter token,
            List<ImageSpec> cameras, List<FrameEncoder> encoders, Dense imageIn, Parameter imagePosition) {}

    /** A camera's CNN is a child block: DJL puts its two-digit child number before the name it was given. */
    private static final java.util.regex.Pattern EMBODIMENT_PARAMETER = java.util.regex.Pattern.compile("(?:\\d\\d)?e(\\d+)_.*");

    private final FoundationDims dims;
    private final List<Heads> heads = new ArrayList<>();
    private final Parameter text;
    private final Dense timeIn;
    private final Parameter position;
    private final List<TransformerLayer> trunk = new ArrayList<>();
    private final Norm outNorm;

    FoundationTransformer(FoundationDims dims) {
        this.dims = dims;
        int d = dims.modelDim();
        // Shared parameters first, so that their order does not depend on the embodiments.
        text = embedding("text_embedding", new Shape(dims.tokens().embeddings(), d));
        timeIn = dense("time_in", FlowSampling.TIME_FEATURES, d);
        position = embedding("position", new Shape(dims.sequenceLength(), d));
        for (int i = 0; i < dims.layers(); i++) {
            trunk.add(dims.loraRank() > 0 ? TransformerLayer.withAdapters(this, "trunk" + i + "_", d, dims.loraRank())
                    : TransformerLayer.of(this, "trunk" + i + "_", d));
        }
        outNorm = norm("out_norm", d);
        for (int e = 0; e < dims.embodiments().size(); e++) {
            FoundationDims.Sizes s = dims.embodiments().get(e);
            String n = headPrefix(e);
            Dense stateIn = dense(n + "state_in", s.stateDim(), d);
            Dense actionIn = dense(n + "action_in", s.actionDim(), d);
            Dense actionOut = dense(n + "action_out", d, s.actionDim());
            Parameter token = embedding(n + "token", new Shape(1, d));
            List<FrameEncoder> encoders = new ArrayList<>();
            Dense imageIn = null;
            Parameter imagePosition = null;
            if (!s.cameras().isEmpty()) {
                for (int j = 0; j < s.cameras().size(); j++) {
                    encoders.add(addChildBlock(n + "camera" + j,
                            ImageEncoders.create(dims.imageEncoder(), s.cameras().get(j), dims.imageFeatureDim())));
                }
                imageIn = dense(n + "image_in", dims.imageFeatureDim(), d);
                imagePosition = embedding(n + "image_position", new Shape(dims.imageTokens(e), d));
            }
            heads.add(new Heads(s.stateDim(), s.actionDim(), stateIn, actionIn, actionOut, token, s.cameras(),
                    List.copyOf(encoders), imageIn, imagePosition));
        }
    }

    FoundationDims dims() {
        return dims;
    }

    /** The prefix of the names of embodiment {@code e}'s parameters. */
    static String headPrefix(int e) {
        return "e" + e + "_";
    }

    /** Whether {@code name} is a parameter of a low-rank adapter of the trunk. */
    static boolean isAdapterParameter(String name) {
        return name.contains("_lora_");
    }

    /** Whether {@code name} is a parameter of one embodiment's heads or cameras, not of the shared trunk. */
    static boolean isEmbodimentParameter(String name) {
        return embodimentOf(name) >= 0;
    }

    /** The index of the embodiment whose heads or cameras {@code name} is a parameter of; -1 for a shared one. */
    static int embodimentOf(String name) {
        java.util.regex.Matcher m = EMBODIMENT_PARAMETER.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * The tokens of embodiment {@code e}'s samples that stay the same along a flow integration
     * {@code (B, 1 + steps + maxTokens + imageTokens, d)}, with their positions: the embodiment's,
     * the encoded states' {@code (B, steps * stateDim)}, the instruction's, from token ids
     * {@code (B, maxTokens)} (as floats), and the cameras', from {@code frames} (each camera's
     * observation steps in turn, values in [0, 1]; null for an embodiment without cameras). Made
     * once a chunk, not once an Euler step.
     */
    NDArray context(ParameterStore s, int e, NDArray states, NDArray tokenIds, NDArray frames, boolean training) {
        Heads h = heads.get(e);
        long b = states.getShape().get(0);
        NDArray stateTokens = h.stateIn().apply(s, states.reshape(b, dims.observationSteps(), h.stateDim()), training);
        // As ActTransformer: start from the batch's zeros so activations belong to the batch's manager.
        NDArray embodiment = states.getManager().zeros(new Shape(b, 1, dims.modelDim()))
                .add(value(s, h.token(), states, training).expandDims(0));
        NDArray ids = tokenIds.toType(DataType.INT64, false);
        NDArray words = ids.getNDArrayInternal().embedding(ids, value(s, text, states, training), SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray context = embodiment.concat(stateTokens, 1).concat(words, 1)
                .add(value(s, position, states, training).get(new NDIndex("0:{}", contextPositions())).expandDims(0));
        if (h.encoders().isEmpty()) {
            return context;
        }
        return context.concat(imageTokens(s, h, frames, b, training), 1);
    }

    /** Each camera's frames through its CNN, one token per camera and observation step {@code (B, cameras * steps, d)}. */
    private NDArray imageTokens(ParameterStore s, Heads h, NDArray frames, long b, boolean training) {
        int steps = dims.observationSteps();
        NDList features = new NDList();
        long at = 0;
        for (int j = 0; j < h.encoders().size(); j++) {
            ImageSpec c = h.cameras().get(j);
            long size = (long) steps * c.bytes();
            NDArray slice = frames.get(new NDIndex(":, {}:{}", at, at + size));
            FrameEncoder encoder = h.encoders().get(j);
            NDArray images = encoder.channelsLast() ? ImageConditionedBlock.channelsLast(slice, b, steps, c)
                    : slice.reshape(b * steps, c.channels(), c.height(), c.width());
            features.add(encoder.forward(s, new NDList(images), training).singletonOrThrow().reshape(b, steps, -1));
            at += size;
        }
        NDArray tokens = h.imageIn().apply(s, ai.djl.ndarray.NDArrays.concat(features, 1), training);
        return tokens.add(value(s, h.imagePosition(), frames, training).expandDims(0));
    }

    /** Shared positions of a context's tokens: the embodiment's, the states', the instruction's. */
    private int contextPositions() {
        return dims.sequenceLength() - dims.horizon();
    }

    /**
     * The velocity {@code (B, horizon * actionDim)} of embodiment {@code e} at noisy chunks {@code x}
     * and flow times {@code t (B, 1)}, for its samples' {@link #context}.
     */
    NDArray velocity(ParameterStore s, int e, NDArray context, NDArray x, NDArray t, boolean training) {
        Heads h = heads.get(e);
        long b = x.getShape().get(0);
        NDArray time = timeIn.apply(s, FlowSampling.timeFeatures(t), training).expandDims(1);
        NDArray actions = h.actionIn().apply(s, x.reshape(b, dims.horizon(), h.actionDim()), training).add(time)
                .add(value(s, position, x, training).get(new NDIndex("{}:", contextPositions())).expandDims(0));
        NDArray seq = context.concat(actions, 1);
        for (TransformerLayer layer : trunk) {
            seq = layer.apply(s, seq, dims.heads(), training);
        }
        long at = seq.getShape().get(1) - dims.horizon();
        NDArray out = outNorm.apply(s, seq.get(new NDIndex(":, {}:, :", at)), training);
        return h.actionOut().apply(s, out, training).reshape(b, (long) dims.horizon() * h.actionDim());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("the foundation network is called through FoundationNetwork");
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Heads h : heads) {
            for (FrameEncoder encoder : h.encoders()) {
                encoder.initialize(manager, dataType, encoder.inputShape(1));
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dims.chunkOutputs())};
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }
}
