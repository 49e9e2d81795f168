package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.List;

/** Factories of the small networks the policies are made of. */
public final class Blocks {

    private Blocks() {}

    /**
     * Copies {@code source} into {@code target} in place. An indexed put rather than
     * {@code NDArray.set(Buffer)}, which makes libtorch print a deprecation warning on stderr.
     */
    public static void assign(NDArray target, NDArray source) {
        target.set(ALL, source);
    }

    private static final NDIndex ALL = new NDIndex("...");

    /** Linear, LayerNorm and GELU for every hidden width, then a linear output layer. */
    public static SequentialBlock mlp(List<Integer> hidden, int outputs) {
        SequentialBlock b = new SequentialBlock();
        for (int width : hidden) {
            b.add(Linear.builder().setUnits(width).build());
            b.add(LayerNorm.builder().build());
            b.add(Activation::gelu);
        }
        b.add(Linear.builder().setUnits(outputs).build());
        return b;
    }
}
