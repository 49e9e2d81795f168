package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** What the guided samplers of flow ({@link FlowSampling}) and diffusion ({@link DiffusionNetwork}) share. */
final class Inpainting {

    /** The most guidance weight, RTC's beta: it bounds the pull while the sample is mostly noise. */
    static final float GUIDANCE = 5f;

    /** DJL lets one gradient collector run at a time in the JVM: every guided sampler takes turns on this. */
    static final Object COLLECTING = new Object();

    private Inpainting() {}

    /** {@code x} with its frozen outputs set to {@code target}: guidance brings them near, they are returned exactly. */
    static NDArray setFrozen(NDManager m, NDArray x, NDArray target, GuidanceWeights guidance) {
        if (guidance.frozenOutputs() == 0) {
            return x;
        }
        float[] frozen = new float[guidance.outputs()];
        java.util.Arrays.fill(frozen, 0, guidance.frozenOutputs(), 1f);
        NDArray keep = m.create(frozen, new Shape(1, frozen.length));
        return x.mul(keep.neg().add(1f)).add(target.mul(keep));
    }
}
