package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * ACT's transformer without the CVAE: each observation step becomes a token (a linear projection
 * plus a learned position embedding), a pre-norm encoder attends over them, and a decoder of
 * {@code horizon} learned query tokens attends to itself and to the encoder's output; a linear
 * head reads one action from each query. Input {@code (B, steps * stepInputs)}, output
 * {@code (B, horizon * actionDim)}.
 */
public final class ActTransformer extends ParameterBlock {

    /** The shape of the network. */
    public record Dims(int steps, int stepInputs, int horizon, int actionDim, int modelDim, int heads,
            int encoderLayers, int decoderLayers) {
        public Dims {
            if (modelDim % heads != 0) {
                throw new IllegalArgumentException("model_dim " + modelDim + " is not a multiple of heads " + heads);
            }
        }
    }

    private final Dims dims;
    private final Dense tokenIn;
    private final Parameter tokenPosition;
    private final List<TransformerLayer> encoder = new ArrayList<>();
    private final Norm encoderNorm;
    private final Parameter queries;
    private final List<DecoderLayer> decoder = new ArrayList<>();
    private final Norm decoderNorm;
    private final Dense head;

    public ActTransformer(Dims dims) {
        this.dims = dims;
        long d = dims.modelDim();
        tokenIn = dense("token_in", dims.stepInputs(), d);
        tokenPosition = embedding("token_position", new Shape(dims.steps(), d));
        for (int i = 0; i < dims.encoderLayers(); i++) {
            encoder.add(TransformerLayer.of(this, "encoder" + i + "_", d));
        }
        encoderNorm = norm("encoder_norm", d);
        queries = embedding("queries", new Shape(dims.horizon(), d));
        for (int i = 0; i < dims.decoderLayers(); i++) {
            String n = "decoder" + i + "_";
            decoder.add(new DecoderLayer(norm(n + "norm1", d), dense(n + "qkv", d, 3 * d), dense(n + "self_out", d, d),
                    norm(n + "norm2", d), dense(n + "q", d, d), dense(n + "kv", d, 2 * d), dense(n + "cross_out", d, d),
                    norm(n + "norm3", d), dense(n + "ff1", d, 4 * d), dense(n + "ff2", 4 * d, d)));
        }
        decoderNorm = norm("decoder_norm", d);
        head = dense("head", d, dims.actionDim());
    }

    public Dims dims() {
        return dims;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray obs = inputs.singletonOrThrow();
        long b = obs.getShape().get(0);
        NDArray x = tokenIn.apply(store, obs.reshape(b, dims.steps(), dims.stepInputs()), training)
                .add(value(store, tokenPosition, obs, training));
        for (TransformerLayer layer : encoder) {
            x = layer.apply(store, x, dims.heads(), training);
        }
        NDArray memory = encoderNorm.apply(store, x, training);
        // A result belongs to its first operand's manager: starting from the batch's zeros keeps the decoder's
        // activations (and the autograd graph they hold) in the batch's manager, not the parameters' forever.
        NDArray q = obs.getManager().zeros(new Shape(b, dims.horizon(), dims.modelDim()))
                .add(value(store, queries, obs, training).expandDims(0));
        for (DecoderLayer layer : decoder) {
            q = layer.apply(store, q, memory, dims.heads(), training);
        }
        NDArray actions = head.apply(store, decoderNorm.apply(store, q, training), training);
        return new NDList(actions.reshape(b, (long) dims.horizon() * dims.actionDim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), (long) dims.horizon() * dims.actionDim())};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long expected = (long) dims.steps() * dims.stepInputs();
        if (inputShapes[0].get(1) != expected) {
            throw new IllegalArgumentException("input has " + inputShapes[0].get(1) + " elements, expected " + expected);
        }
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }

    private record DecoderLayer(Norm norm1, Dense qkv, Dense selfOut, Norm norm2, Dense q, Dense kv, Dense crossOut,
            Norm norm3, Dense ff1, Dense ff2) {
        NDArray apply(ParameterStore s, NDArray x, NDArray memory, int heads, boolean t) {
            NDList qkvs = qkv.apply(s, norm1.apply(s, x, t), t).split(3, 2);
            x = x.add(selfOut.apply(s, Attention.attend(qkvs.get(0), qkvs.get(1), qkvs.get(2), heads), t));
            NDList kvs = kv.apply(s, memory, t).split(2, 2);
            x = x.add(crossOut.apply(s, Attention.attend(q.apply(s, norm2.apply(s, x, t), t), kvs.get(0), kvs.get(1), heads), t));
            return x.add(ff2.apply(s, Activation.gelu(ff1.apply(s, norm3.apply(s, x, t), t)), t));
        }
    }
}
