package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
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

    /** Sinusoidal features of the flow time, so the network sees it at several scales. */
    static final int TIME_FEATURES = FlowSampling.TIME_FEATURES;

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
        return predictContinuing(parameters, observations, null, GuidanceWeights.hard(chunkOutputs, 0));
    }

    /**
     * As {@link #predict}, every output pulled toward {@code target} as {@code guidance} weighs it:
     * real-time chunking's guided sampling ({@link FlowSampling#sample}).
     */
    @Override
    public NDArray predictContinuing(ParameterStore parameters, NDArray observations, NDArray target, GuidanceWeights guidance) {
        NDArray condition = net.condition(parameters, observations, false);
        return FlowSampling.sample(observations.getManager(), observations.getShape().get(0), chunkOutputs,
                integrationSteps, noiseScale, (x, t) -> velocity(parameters, condition, x, t, false), target, guidance);
    }

    private NDArray velocity(ParameterStore parameters, NDArray condition, NDArray x, NDArray t, boolean training) {
        // The FiLM head reads the sample first and is conditioned on the rest.
        NDArray input = film ? x.concat(condition, 1).concat(timeFeatures(t), 1)
                : condition.concat(x, 1).concat(timeFeatures(t), 1);
        return net.head(parameters, input, training);
    }

    static NDArray timeFeatures(NDArray t) {
        return FlowSampling.timeFeatures(t);
    }

    /** The angular frequencies of the time features: the sines of {@code t * f}, then their cosines. */
    public static float[] timeFrequencies() {
        return FlowSampling.timeFrequencies();
    }

    /** The Euler step of an integration in {@code steps} steps. */
    public static float stepSize(int steps) {
        return FlowSampling.stepSize(steps);
    }

    /** The flow time of each Euler step, in float arithmetic as inference computes it. */
    public static float[] integrationTimes(int steps) {
        return FlowSampling.integrationTimes(steps);
    }
}
