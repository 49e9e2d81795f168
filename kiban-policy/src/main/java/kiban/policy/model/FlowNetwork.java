package kiban.policy.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import kiban.policy.nn.Blocks;
import kiban.policy.nn.FilmResidualMlp;

/**
 * Flow matching (rectified flow) over action chunks, as pi0's action expert: the network learns
 * the velocity {@code x1 - x0} along straight paths from noise {@code x0} to actions {@code x1};
 * inference integrates it with Euler steps from noise. Multi-modal demonstrations (push left or
 * right of the block) stay sharp instead of being averaged as regression would.
 */
public final class FlowNetwork implements ContinuingNetwork {

    public static final String TYPE = "flow";
    public static final String FILM = "film";

    /** The most guidance weight, RTC's beta: it bounds the pull while the flow time is small. */
    static final float GUIDANCE = 5f;

    private static final Object COLLECTING = new Object();

    /** Sinusoidal features of the flow time, so the network sees it at several scales. */
    static final int TIME_FEATURES = 16;

    private final int chunkOutputs;
    private final int integrationSteps;
    private final float noiseScale;
    private final boolean film;
    private final Conditioning net;

    /**
     * {@code noiseScale} multiplies the standard normal noise that sampling starts from: 1 samples
     * the learned distribution, less samples nearer its most likely chunks (a temperature).
     * {@code head} is {@code mlp} (an MLP of the {@code hidden} widths over observations, noisy chunk
     * and time concatenated) or {@code film} (a {@link FilmResidualMlp} of {@code hidden.size()}
     * blocks of the one width {@code hidden} repeats, over the chunk, modulated by the rest).
     */
    public FlowNetwork(ObservationLayout layout, int chunkOutputs, List<Integer> hidden, int integrationSteps,
            double noiseScale, String head) {
        this.chunkOutputs = chunkOutputs;
        this.integrationSteps = integrationSteps;
        this.noiseScale = (float) noiseScale;
        this.film = FILM.equals(head);
        int conditionInputs = layout.conditionDim() + TIME_FEATURES;
        Block block = film ? new FilmResidualMlp(chunkOutputs, conditionInputs, hidden.getFirst(), hidden.size(), chunkOutputs)
                : Blocks.mlp(hidden, chunkOutputs);
        this.net = new Conditioning(layout, block, new Shape(1, conditionInputs + chunkOutputs));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block block() {
        return net.block();
    }

    @Override
    public Shape inputShape() {
        return net.inputShape();
    }

    @Override
    public NDArray loss(ParameterStore parameters, NDArray observations, NDArray actions, NDArray mask) {
        NDManager m = actions.getManager();
        long batch = actions.getShape().get(0);
        NDArray noise = m.randomNormal(actions.getShape());
        NDArray t = m.randomUniform(0f, 1f, new Shape(batch, 1));
        NDArray xt = noise.mul(t.neg().add(1f)).add(actions.mul(t));
        NDArray velocity = velocity(parameters, net.condition(parameters, observations, true), xt, t, true);
        return Losses.maskedMse(velocity, actions.sub(noise), mask);
    }

    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return sample(parameters, observations, null, 0);
    }

    /**
     * As {@link #predict}, with the first {@code frozenOutputs} outputs of every chunk inpainted to
     * {@code frozen} (normalised, laid out as the chunk; the rest of it is ignored): real-time
     * chunking's guided sampling with a hard mask (every frozen output weighs 1, every other 0; no
     * soft mask over later outputs). Every Euler step follows the guided velocity of
     * {@link #guidedVelocity}; at the end the frozen outputs are set to {@code frozen}.
     */
    @Override
    public NDArray predictContinuing(ParameterStore parameters, NDArray observations, NDArray frozen, int frozenOutputs) {
        if (frozenOutputs < 0 || frozenOutputs > chunkOutputs) {
            throw new IllegalArgumentException("frozen outputs must lie in [0, " + chunkOutputs + "], got " + frozenOutputs);
        }
        return sample(parameters, observations, frozen, frozenOutputs);
    }

    private NDArray sample(ParameterStore parameters, NDArray observations, NDArray frozen, int frozenOutputs) {
        NDManager m = observations.getManager();
        long batch = observations.getShape().get(0);
        NDArray x = m.randomNormal(new Shape(batch, chunkOutputs));
        if (noiseScale != 1f) {
            x = x.mul(noiseScale);
        }
        NDArray keep = null;
        if (frozenOutputs > 0) {
            float[] mask = new float[chunkOutputs];
            java.util.Arrays.fill(mask, 0, frozenOutputs, 1f);
            keep = m.create(mask, new Shape(1, chunkOutputs));
        }
        NDArray condition = net.condition(parameters, observations, false);
        float dt = stepSize(integrationSteps);
        float[] times = integrationTimes(integrationSteps);
        for (float time : times) {
            NDArray t = m.full(new Shape(batch, 1), time);
            NDArray v = keep == null ? velocity(parameters, condition, x, t, false)
                    : guidedVelocity(parameters, condition, x, t, time, frozen, keep);
            x = x.add(v.mul(dt));
        }
        // Guidance brings the frozen outputs near their targets; they are returned exactly.
        return keep == null ? x : x.mul(keep.neg().add(1f)).add(frozen.mul(keep));
    }

    /**
     * The velocity with RTC's pseudo-inverse guidance: {@code v + min(beta, (1 - t) / (t r^2)) J^T W (y - x1)},
     * where {@code x1 = x + (1 - t) v} is the chunk the flow heads for, {@code J} its Jacobian in
     * {@code x}, {@code W} the frozen mask and {@code r^2 = (1 - t)^2 / (t^2 + (1 - t)^2)}. The
     * vector-Jacobian product moves every output, the free ones included, so that the estimate's
     * frozen outputs approach {@code y}.
     */
    private NDArray guidedVelocity(ParameterStore parameters, NDArray condition, NDArray x, NDArray t, float time,
            NDArray target, NDArray keep) {
        NDArray v;
        NDArray pull;
        // DJL lets one gradient collector run at a time in the JVM: concurrent callers take turns.
        synchronized (COLLECTING) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray leaf = x.duplicate();
                leaf.setRequiresGradient(true);
                v = velocity(parameters, condition, leaf, t, false);
                NDArray estimate = leaf.add(v.mul(1f - time));
                NDArray error = target.sub(estimate).mul(keep).stopGradient();
                collector.backward(estimate.mul(error).sum());
                pull = leaf.getGradient().duplicate();
                v = v.stopGradient();
            }
        }
        float r2 = (1 - time) * (1 - time) / (time * time + (1 - time) * (1 - time));
        float weight = time == 0f ? GUIDANCE : Math.min(GUIDANCE, (1 - time) / (time * r2));
        return v.add(pull.mul(weight));
    }

    private NDArray velocity(ParameterStore parameters, NDArray condition, NDArray x, NDArray t, boolean training) {
        // The FiLM head reads the sample first and is conditioned on the rest.
        NDArray input = film ? x.concat(condition, 1).concat(timeFeatures(t), 1)
                : condition.concat(x, 1).concat(timeFeatures(t), 1);
        return net.head(parameters, input, training);
    }

    static NDArray timeFeatures(NDArray t) {
        float[] freqs = timeFrequencies();
        NDArray angles = t.mul(t.getManager().create(freqs, new Shape(1, freqs.length)));
        return angles.sin().concat(angles.cos(), 1);
    }

    /** The angular frequencies of the time features: the sines of {@code t * f}, then their cosines. */
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
