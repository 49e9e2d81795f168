package kiban.policy.foundation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import kiban.policy.model.FlowSampling;
import kiban.policy.nn.ParameterBlock;
import kiban.policy.nn.TransformerLayer;

/**
 * The foundation policy's network, after GR00T N1 and pi0: per embodiment, a state encoder, an
 * action encoder, an action decoder and an embodiment token; shared by all, an embedding of the
 * instruction's word tokens, a flow-time encoder and a transformer trunk. One sequence per sample
 * is {@code [embodiment, states (one token per observation step), instruction tokens, noisy
 * actions (one token per chunk row, plus the flow time)]} with learned positions; the trunk
 * attends over all of it, and the embodiment's decoder reads each action token's output as that
 * row's velocity. A batch is one embodiment's. Per-embodiment parameters are named
 * {@code e<index>_...}, so an embodiment added by fine-tuning appends parameters and leaves the
 * names of the rest, and the checkpoints they load from, as they were.
 */
final class FoundationTransformer extends ParameterBlock {

    /** One embodiment's encoders and decoder. */
    private record Heads(int stateDim, int actionDim, Dense stateIn, Dense actionIn, Dense actionOut, Parameter token) {}

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
            heads.add(new Heads(s.stateDim(), s.actionDim(), dense(n + "state_in", s.stateDim(), d),
                    dense(n + "action_in", s.actionDim(), d), dense(n + "action_out", d, s.actionDim()),
                    embedding(n + "token", new Shape(1, d))));
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

    /** Whether {@code name} is a parameter of one embodiment's heads, not of the shared trunk. */
    static boolean isEmbodimentParameter(String name) {
        return name.matches("e\\d+_.*");
    }

    /**
     * The tokens of embodiment {@code e}'s samples that stay the same along a flow integration
     * {@code (B, 1 + steps + maxTokens, d)}, before positions: the embodiment's, the encoded states'
     * {@code (B, steps * stateDim)} and the instruction's, from token ids {@code (B, maxTokens)} (as
     * floats). Made once a chunk, not once an Euler step.
     */
    NDArray context(ParameterStore s, int e, NDArray states, NDArray tokenIds, boolean training) {
        Heads h = heads.get(e);
        long b = states.getShape().get(0);
        NDArray stateTokens = h.stateIn().apply(s, states.reshape(b, dims.observationSteps(), h.stateDim()), training);
        // As ActTransformer: start from the batch's zeros so activations belong to the batch's manager.
        NDArray embodiment = states.getManager().zeros(new Shape(b, 1, dims.modelDim()))
                .add(value(s, h.token(), states, training).expandDims(0));
        NDArray ids = tokenIds.toType(DataType.INT64, false);
        NDArray words = ids.getNDArrayInternal().embedding(ids, value(s, text, states, training), SparseFormat.DENSE)
                .singletonOrThrow();
        return embodiment.concat(stateTokens, 1).concat(words, 1);
    }

    /**
     * The velocity {@code (B, horizon * actionDim)} of embodiment {@code e} at noisy chunks {@code x}
     * and flow times {@code t (B, 1)}, for its samples' {@link #context}.
     */
    NDArray velocity(ParameterStore s, int e, NDArray context, NDArray x, NDArray t, boolean training) {
        Heads h = heads.get(e);
        long b = x.getShape().get(0);
        NDArray time = timeIn.apply(s, FlowSampling.timeFeatures(t), training).expandDims(1);
        NDArray actions = h.actionIn().apply(s, x.reshape(b, dims.horizon(), h.actionDim()), training).add(time);
        NDArray seq = context.concat(actions, 1).add(value(s, position, x, training).expandDims(0));
        for (TransformerLayer layer : trunk) {
            seq = layer.apply(s, seq, dims.heads(), training);
        }
        int at = dims.sequenceLength() - dims.horizon();
        NDArray out = outNorm.apply(s, seq.get(new NDIndex(":, {}:, :", at)), training);
        return h.actionOut().apply(s, out, training).reshape(b, (long) dims.horizon() * h.actionDim());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("the foundation network is called through FoundationNetwork");
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
