package kiban.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import kiban.policy.nn.ParameterBlock.Dense;
import kiban.policy.nn.ParameterBlock.Norm;
import kiban.policy.nn.ParameterBlock.Projection;

/**
 * A pre-norm transformer encoder layer, as ACT's and pi0's: self-attention over all tokens, then a
 * GELU feed-forward of four times the width, each added to its input. Its parameters belong to the
 * {@link ParameterBlock} that made it, named {@code prefix} then {@code norm1}, {@code qkv},
 * {@code out}, {@code norm2}, {@code ff1}, {@code ff2}.
 */
public record TransformerLayer(Norm norm1, Projection qkv, Projection out, Norm norm2, Projection ff1, Projection ff2) {

    /**
     * The scale of an adapter's update {@code B A x}, LoRA's alpha / rank with alpha = rank: the
     * update has the scale of one learning step whatever the rank. A merged projection is
     * {@code W + ADAPTER_SCALE * B A}.
     */
    public static final float ADAPTER_SCALE = 1f;

    /** A layer of width {@code d} whose parameters {@code owner} holds. */
    public static TransformerLayer of(ParameterBlock owner, String prefix, long d) {
        return new TransformerLayer(owner.norm(prefix + "norm1", d), owner.dense(prefix + "qkv", d, 3 * d),
                owner.dense(prefix + "out", d, d), owner.norm(prefix + "norm2", d), owner.dense(prefix + "ff1", d, 4 * d),
                owner.dense(prefix + "ff2", 4 * d, d));
    }

    /**
     * As {@link #of}, with a low-rank adapter of {@code rank} on each of its four projections
     * (attention in and out, feed-forward in and out), as LoRA fine-tunes a frozen transformer; the
     * layer's own parameters keep their names, so a checkpoint without adapters loads into it by name.
     */
    public static TransformerLayer withAdapters(ParameterBlock owner, String prefix, long d, int rank) {
        TransformerLayer plain = of(owner, prefix, d);
        float alpha = ADAPTER_SCALE * rank;
        return new TransformerLayer(plain.norm1, owner.lowRank(prefix + "qkv", (Dense) plain.qkv, d, 3 * d, rank, alpha),
                owner.lowRank(prefix + "out", (Dense) plain.out, d, d, rank, alpha), plain.norm2,
                owner.lowRank(prefix + "ff1", (Dense) plain.ff1, d, 4 * d, rank, alpha),
                owner.lowRank(prefix + "ff2", (Dense) plain.ff2, 4 * d, d, rank, alpha));
    }

    /** The layer over tokens {@code (B, T, d)} with {@code heads} attention heads. */
    public NDArray apply(ParameterStore s, NDArray x, int heads, boolean t) {
        NDList qkvs = qkv.apply(s, norm1.apply(s, x, t), t).split(3, 2);
        x = x.add(out.apply(s, Attention.attend(qkvs.get(0), qkvs.get(1), qkvs.get(2), heads), t));
        return x.add(ff2.apply(s, Activation.gelu(ff1.apply(s, norm2.apply(s, x, t), t)), t));
    }
}
