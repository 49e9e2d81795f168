package kiban.policy.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

/**
 * Sampling a flow-matching policy: Euler steps from noise along a learned velocity, optionally
 * with real-time chunking's guided inpainting of frozen outputs. Shared by every flow head (the
 * single-embodiment {@link FlowNetwork}, the foundation policy), so that they sample alike.
 */
public final class FlowSampling {

    /** The most guidance weight, RTC's beta: it bounds the pull while the flow time is small. */
    static final float GUIDANCE = Inpainting.GUIDANCE;

    /** Sinusoidal features of the flow time, so the network sees it at several scales. */
    public static final int TIME_FEATURES = 16;

    private FlowSampling() {}

    /** A network's velocity at noisy chunks {@code x (B, outputs)} and flow times {@code t (B, 1)}. */
    @FunctionalInterface
    public interface Velocity {
        NDArray at(NDArray x, NDArray t);
    }

    /**
     * Chunks {@code (batch, outputs)} integrated in {@code steps} Euler steps from standard normal noise
     * times {@code noiseScale}. With {@code frozenOutputs > 0}, the first {@code frozenOutputs}
     * outputs of every chunk are inpainted to {@code frozen} (laid out as the chunk; the rest of it
     * is ignored): real-time chunking's guided sampling with a hard mask ({@link GuidanceWeights#hard}).
     */
    public static NDArray sample(NDManager m, long batch, int outputs, int steps, float noiseScale, Velocity velocity,
            NDArray frozen, int frozenOutputs) {
        return sample(m, batch, outputs, steps, noiseScale, velocity, frozen, GuidanceWeights.hard(outputs, frozenOutputs));
    }

    /**
     * As above, every output pulled toward {@code target} (laid out as the chunk) as strongly as
     * {@code guidance} weighs it: every step follows {@link #guided}'s velocity, and the frozen
     * outputs are set to {@code target} at the end.
     */
    public static NDArray sample(NDManager m, long batch, int outputs, int steps, float noiseScale, Velocity velocity,
            NDArray target, GuidanceWeights guidance) {
        if (guidance.outputs() != outputs) {
            throw new IllegalArgumentException("guidance weighs " + guidance.outputs() + " outputs, the chunk has " + outputs);
        }
        NDArray x = m.randomNormal(new Shape(batch, outputs));
        if (noiseScale != 1f) {
            x = x.mul(noiseScale);
        }
        NDArray weights = guidance.guides() ? m.create(guidance.weights(), new Shape(1, outputs)) : null;
        float dt = stepSize(steps);
        for (float time : integrationTimes(steps)) {
            NDArray t = m.full(new Shape(batch, 1), time);
            NDArray v = weights == null ? velocity.at(x, t) : guided(velocity, x, t, time, target, weights);
            x = x.add(v.mul(dt));
        }
        return weights == null ? x : Inpainting.setFrozen(m, x, target, guidance);
    }

    /**
     * The velocity with RTC's pseudo-inverse guidance: {@code v + min(beta, (1 - t) / (t r^2)) J^T W (y - x1)},
     * where {@code x1 = x + (1 - t) v} is the chunk the flow heads for, {@code J} its Jacobian in
     * {@code x}, {@code W} the guidance weights and {@code r^2 = (1 - t)^2 / (t^2 + (1 - t)^2)}. The
     * vector-Jacobian product moves every output, the free ones included, so that the estimate's
     * guided outputs approach {@code y}.
     */
    private static NDArray guided(Velocity velocity, NDArray x, NDArray t, float time, NDArray target, NDArray weights) {
        NDArray v;
        NDArray pull;
        synchronized (Inpainting.COLLECTING) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray leaf = x.duplicate();
                leaf.setRequiresGradient(true);
                v = velocity.at(leaf, t);
                NDArray estimate = leaf.add(v.mul(1f - time));
                NDArray error = target.sub(estimate).mul(weights).stopGradient();
                collector.backward(estimate.mul(error).sum());
                pull = leaf.getGradient().duplicate();
                v = v.stopGradient();
            }
        }
        float r2 = (1 - time) * (1 - time) / (time * time + (1 - time) * (1 - time));
        float weight = time == 0f ? GUIDANCE : Math.min(GUIDANCE, (1 - time) / (time * r2));
        return v.add(pull.mul(weight));
    }

    /** The sines of {@code t * f} for {@link #timeFrequencies()}, then their cosines: {@code (B, TIME_FEATURES)}. */
    public static NDArray timeFeatures(NDArray t) {
        float[] freqs = timeFrequencies();
        NDArray angles = t.mul(t.getManager().create(freqs, new Shape(1, freqs.length)));
        return angles.sin().concat(angles.cos(), 1);
    }

    /** The angular frequencies of the time features. */
    public static float[] timeFrequencies() {
        float[] freqs = new float[TIME_FEATURES / 2];
        for (int i = 0; i < freqs.length; i++) {
            freqs[i] = (float) (Math.PI * Math.pow(2, i));
        }
        return freqs;
    }

    /** The Euler step of an integration in {@code steps} steps. */
    public static float stepSize(int steps) {
        return 1f / steps;
    }

    /** The flow time of each Euler step, in float arithmetic as inference computes it. */
    public static float[] integrationTimes(int steps) {
        float dt = stepSize(steps);
        float[] out = new float[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = i * dt;
        }
        return out;
    }
}
