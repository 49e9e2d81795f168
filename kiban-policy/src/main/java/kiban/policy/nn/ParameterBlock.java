package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * A block whose parameters all have shapes fixed at construction and whose forward pass is written
 * directly in NDArray operations. Holding the weights as direct parameters (rather than a tree of
 * DJL Linear blocks) keeps the parameter names flat and stable for checkpoints and EMA, and lets
 * the forward pass use batched matrix products on 3-D and 4-D arrays without reshaping through 2-D.
 */
public abstract class ParameterBlock extends AbstractBlock {

    /** Glorot uniform, as PyTorch's transformer layers initialise their projections. */
    private static final Initializer GLOROT = new XavierInitializer(
            XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3);
    private static final Initializer EMBEDDING = new NormalInitializer(0.02f);

    protected ParameterBlock() {
        super((byte) 1);
    }

    /** A linear layer's weight {@code (outputs, inputs)} and bias {@code (outputs)}. */
    protected final Dense dense(String name, long inputs, long outputs) {
        return new Dense(param(name + "_weight", Parameter.Type.WEIGHT, GLOROT, new Shape(outputs, inputs)),
                param(name + "_bias", Parameter.Type.BIAS, Initializer.ZEROS, new Shape(outputs)));
    }

    /** A layer norm's gain (ones) and bias (zeros) over the last {@code width} elements. */
    protected final Norm norm(String name, long width) {
        return new Norm(param(name + "_gamma", Parameter.Type.GAMMA, Initializer.ONES, new Shape(width)),
                param(name + "_beta", Parameter.Type.BETA, Initializer.ZEROS, new Shape(width)), width);
    }

    /**
     * {@code base} with a low-rank adapter (LoRA, Hu et al. 2021): {@code base(x) + (alpha / rank) B A x},
     * {@code A (rank, inputs)} random and {@code B (outputs, rank)} zero, so that the adapted layer
     * starts as the layer it adapts. Named {@code name + "_lora_a"} and {@code "_lora_b"}.
     */
    protected final Projection lowRank(String name, Dense base, long inputs, long outputs, int rank, float alpha) {
        Parameter a = param(name + "_lora_a", Parameter.Type.WEIGHT, EMBEDDING, new Shape(rank, inputs));
        Parameter b = param(name + "_lora_b", Parameter.Type.WEIGHT, Initializer.ZEROS, new Shape(outputs, rank));
        float scale = alpha / rank;
        return (store, x, training) -> {
            NDArray down = x.getNDArrayInternal().linear(x, value(store, a, x, training), null).singletonOrThrow();
            NDArray up = down.getNDArrayInternal().linear(down, value(store, b, x, training), null).singletonOrThrow();
            return base.apply(store, x, training).add(up.mul(x.getManager().create(scale)));
        };
    }

    /** Learned embeddings (position embeddings, decoder queries), normal with standard deviation 0.02. */
    protected final Parameter embedding(String name, Shape shape) {
        return param(name, Parameter.Type.WEIGHT, EMBEDDING, shape);
    }

    protected final Parameter param(String name, Parameter.Type type, Initializer init, Shape shape) {
        return addParameter(Parameter.builder().setName(name).setType(type).optInitializer(init).optShape(shape).build());
    }

    protected static NDArray value(ParameterStore store, Parameter p, NDArray like, boolean training) {
        return store.getValue(p, like.getDevice(), training);
    }

    /** A learned map over the last axis of any rank of input. */
    public interface Projection {
        NDArray apply(ParameterStore store, NDArray x, boolean training);
    }

    /** A linear layer over the last axis of any rank of input. */
    public record Dense(Parameter weight, Parameter bias) implements Projection {
        @Override
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return x.getNDArrayInternal().linear(x, value(store, weight, x, training), value(store, bias, x, training))
                    .singletonOrThrow();
        }
    }

    /** Layer normalisation over the last axis. */
    public record Norm(Parameter gamma, Parameter beta, long width) {
        public NDArray apply(ParameterStore store, NDArray x, boolean training) {
            return x.getNDArrayInternal().layerNorm(x, new Shape(width), value(store, gamma, x, training),
                    value(store, beta, x, training), 1e-5f).singletonOrThrow();
        }
    }
}
