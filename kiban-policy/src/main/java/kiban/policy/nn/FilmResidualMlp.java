package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A residual MLP over a sample whose every block is modulated by the conditioning (FiLM), as
 * Diffusion Policy's conditional residual blocks are, in place of reading the conditioning once at
 * the input. Input {@code (B, sampleInputs + conditionInputs)}: the sample first (a flow's noisy
 * chunk), then what conditions it (observations, flow time). Each block is pre-norm:
 * {@code h + W2 gelu((W1 norm(h)) * (1 + scale) + shift)}, with each block's {@code (scale, shift)} its own
 * linear map of one embedding of the conditioning, {@code gelu(W_c condition)}.
 */
public final class FilmResidualMlp extends ParameterBlock {

    private final int sampleInputs;
    private final int conditionInputs;
    private final int outputs;
    private final Dense sampleIn;
    private final Dense conditionIn;
    private final List<ResidualBlock> blocks = new ArrayList<>();
    private final Norm outNorm;
    private final Dense out;

    public FilmResidualMlp(int sampleInputs, int conditionInputs, int width, int depth, int outputs) {
        if (depth < 1 || width < 1) {
            throw new IllegalArgumentException("width " + width + " and depth " + depth + " must be positive");
        }
        this.sampleInputs = sampleInputs;
        this.conditionInputs = conditionInputs;
        this.outputs = outputs;
        sampleIn = dense("sample_in", sampleInputs, width);
        conditionIn = dense("condition_in", conditionInputs, width);
        for (int i = 0; i < depth; i++) {
            String n = "block" + i + "_";
            blocks.add(new ResidualBlock(norm(n + "norm", width), dense(n + "linear1", width, width),
                    dense(n + "film", width, 2L * width), dense(n + "linear2", width, width)));
        }
        outNorm = norm("out_norm", width);
        out = dense("out", width, outputs);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList parts = inputs.singletonOrThrow().split(new long[] {sampleInputs}, 1);
        NDArray embedding = Activation.gelu(conditionIn.apply(store, parts.get(1), training));
        NDArray h = sampleIn.apply(store, parts.get(0), training);
        for (ResidualBlock block : blocks) {
            h = block.apply(store, h, embedding, training);
        }
        return new NDList(out.apply(store, Activation.gelu(outNorm.apply(store, h, training)), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputs)};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long expected = (long) sampleInputs + conditionInputs;
        if (inputShapes[0].get(1) != expected) {
            throw new IllegalArgumentException("input has " + inputShapes[0].get(1) + " elements, expected " + expected);
        }
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }

    private record ResidualBlock(Norm norm, Dense linear1, Dense film, Dense linear2) {
        NDArray apply(ParameterStore s, NDArray h, NDArray embedding, boolean t) {
            NDList scaleShift = film.apply(s, embedding, t).split(2, 1);
            NDArray y = linear1.apply(s, norm.apply(s, h, t), t).mul(scaleShift.get(0).add(1f)).add(scaleShift.get(1));
            return h.add(linear2.apply(s, Activation.gelu(y), t));
        }
    }
}
