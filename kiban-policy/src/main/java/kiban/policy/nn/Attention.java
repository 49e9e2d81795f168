package kiban.policy.nn;

import ai.djl.ndarray.NDArray;

/**
 * Multi-head scaled dot-product attention from batched matrix products, softmax and
 * reshapes, so that autograd records a handful of native ops per layer. (DJL's
 * ScaledDotProductAttentionBlock took 3.3 s a training step at batch 256 where this takes
 * milliseconds; see docs/PERFORMANCE.md.)
 */
public final class Attention {

    private Attention() {}

    /**
     * Attention of projected queries {@code (B, Tq, d)} over projected keys and values
     * {@code (B, Tk, d)} with {@code heads} heads of {@code d / heads}; returns {@code (B, Tq, d)}
     * before the output projection.
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, int heads) {
        long b = q.getShape().get(0);
        long tq = q.getShape().get(1);
        long tk = k.getShape().get(1);
        long d = q.getShape().get(2);
        if (d % heads != 0) {
            throw new IllegalArgumentException("model width " + d + " is not a multiple of " + heads + " heads");
        }
        long dh = d / heads;
        // Not q.mul(float): DJL wraps the number in a tensor over a direct buffer and closes it as soon as
        // the product is made, while autograd keeps it for the backward pass, which then reads freed memory
        // (non-finite gradients at random steps). This scalar lives as long as the batch's manager.
        NDArray scale = q.getManager().create((float) (1 / Math.sqrt(dh)));
        NDArray qh = q.mul(scale).reshape(b, tq, heads, dh).transpose(0, 2, 1, 3);
        NDArray kt = k.reshape(b, tk, heads, dh).transpose(0, 2, 3, 1);
        NDArray vh = v.reshape(b, tk, heads, dh).transpose(0, 2, 1, 3);
        NDArray weights = qh.matMul(kt).softmax(-1);
        return weights.matMul(vh).transpose(0, 2, 1, 3).reshape(b, tq, d);
    }
}
