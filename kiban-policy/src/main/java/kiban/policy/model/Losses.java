package kiban.policy.model;

import ai.djl.ndarray.NDArray;

/** Losses over padded action chunks. */
public final class Losses {

    private Losses() {}

    /** Mean squared error over the real (mask 1) elements only. */
    public static NDArray maskedMse(NDArray predicted, NDArray target, NDArray mask) {
        return predicted.sub(target).square().mul(mask).sum().div(mask.sum().maximum(1f));
    }

    /** Mean absolute error over the real (mask 1) elements only; ACT's loss. */
    public static NDArray maskedL1(NDArray predicted, NDArray target, NDArray mask) {
        return predicted.sub(target).abs().mul(mask).sum().div(mask.sum().maximum(1f));
    }
}
