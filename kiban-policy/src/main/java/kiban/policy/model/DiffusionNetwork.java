package kiban.policy.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import kiban.policy.nn.Blocks;

/**
 * Denoising diffusion over action chunks, as Diffusion Policy: trained as DDPM (the network
 * predicts the noise added at one of {@value #TRAIN_TIMESTEPS} levels of the squared-cosine
 * schedule), sampled with deterministic DDIM in a few steps. Where actions are normalised to
 * [-1, 1] (min-max), each step clips its estimate of the clean chunk to that range, as DP does.
 * It continues chunks (real-time chunking) by guiding each step's estimate of the clean chunk
 * toward given outputs ({@link #predictContinuing}).
 */
public final class DiffusionNetwork implements ContinuingNetwork {

    public static final String TYPE = "diffusion";

    /** Noise levels at training time: Diffusion Policy's default. */
    static final int TRAIN_TIMESTEPS = 100;

    private final int chunkOutputs;
    private final boolean clipToUnitRange;
    private final float[] alphasCumprod;
    private final List<SamplingStep> schedule;
    private final Conditioning net;

    public DiffusionNetwork(ObservationLayout layout, int chunkOutputs, List<Integer> hidden, int samplingSteps,
            boolean clipToUnitRange) {
        if (samplingSteps < 1 || samplingSteps > TRAIN_TIMESTEPS) {
            throw new IllegalArgumentException("sampling steps must be in [1, " + TRAIN_TIMESTEPS + "]: " + samplingSteps);
        }
        this.chunkOutputs = chunkOutputs;
        this.clipToUnitRange = clipToUnitRange;
        this.alphasCumprod = squaredCosineAlphasCumprod(TRAIN_TIMESTEPS);
        this.schedule = samplingSchedule(samplingSteps);
        this.net = new Conditioning(layout, Blocks.mlp(hidden, chunkOutputs),
                new Shape(1, layout.conditionDim() + chunkOutputs + FlowNetwork.TIME_FEATURES));
    }

    /**
     * The cumulative signal fraction of each noise level under the squared-cosine schedule of
     * Nichol and Dhariwal (diffusers' {@code squaredcos_cap_v2}), each beta capped at 0.999.
     */
    static float[] squaredCosineAlphasCumprod(int timesteps) {
        float[] out = new float[timesteps];
        double product = 1;
        for (int i = 0; i < timesteps; i++) {
            double beta = Math.min(1 - alphaBar((i + 1.0) / timesteps) / alphaBar((double) i / timesteps), 0.999);
            product *= 1 - beta;
            out[i] = (float) product;
        }
        return out;
    }

    private static double alphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
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
        NDArray level = m.randomInteger(0, TRAIN_TIMESTEPS, new Shape(batch), DataType.INT64);
        NDArray signal = m.create(alphasCumprod).get(level).reshape(batch, 1);
        NDArray noisy = actions.mul(signal.sqrt()).add(noise.mul(signal.neg().add(1f).sqrt()));
        NDArray time = level.toType(DataType.FLOAT32, false).reshape(batch, 1).div((float) TRAIN_TIMESTEPS);
        NDArray input = net.condition(parameters, observations, true).concat(noisy, 1).concat(FlowNetwork.timeFeatures(time), 1);
        NDArray predictedNoise = net.head(parameters, input, true);
        return Losses.maskedMse(predictedNoise, noise, mask);
    }

    /**
     * One DDIM step: from the noise level {@code level} to the next lower one, with the square roots
     * the update multiplies by, in the float arithmetic sampling uses.
     */
    public record SamplingStep(int level, float noiseWeight, float signalWeight, float previousSignalWeight,
            float previousNoiseWeight) {

        /** The network's time input at this level, in [0, 1). */
        public float time() {
            return (float) level / TRAIN_TIMESTEPS;
        }
    }

    /** The DDIM steps of sampling in {@code samplingSteps} steps, in order. */
    public static List<SamplingStep> samplingSchedule(int samplingSteps) {
        float[] alphasCumprod = squaredCosineAlphasCumprod(TRAIN_TIMESTEPS);
        int stride = TRAIN_TIMESTEPS / samplingSteps;
        List<SamplingStep> out = new java.util.ArrayList<>();
        // DDIM's "leading" spacing, as diffusers: levels (S-1)k, ..., k, 0 for k = T / S.
        for (int i = samplingSteps - 1; i >= 0; i--) {
            int level = i * stride;
            float signal = alphasCumprod[level];
            float previousSignal = level - stride >= 0 ? alphasCumprod[level - stride] : 1f;
            out.add(new SamplingStep(level, (float) Math.sqrt(1 - signal),
                    (float) Math.sqrt(signal), (float) Math.sqrt(previousSignal), (float) Math.sqrt(1 - previousSignal)));
        }
        return out;
    }


    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return predictContinuing(parameters, observations, null, GuidanceWeights.hard(chunkOutputs, 0));
    }

    /**
     * As {@link #predict}, every output pulled toward {@code target} as {@code guidance} weighs it
     * ({@link #guidedNoise}), the frozen outputs set to their targets at the end.
     */
    @Override
    public NDArray predictContinuing(ParameterStore parameters, NDArray observations, NDArray target, GuidanceWeights guidance) {
        if (guidance.outputs() != chunkOutputs) {
            throw new IllegalArgumentException("guidance weighs " + guidance.outputs() + " outputs, the chunk has " + chunkOutputs);
        }
        NDManager m = observations.getManager();
        long batch = observations.getShape().get(0);
        NDArray x = m.randomNormal(new Shape(batch, chunkOutputs));
        NDArray condition = net.condition(parameters, observations, false);
        NDArray weights = guidance.guides() ? m.create(guidance.weights(), new Shape(1, chunkOutputs)) : null;
        for (SamplingStep s : schedule) {
            NDArray time = m.full(new Shape(batch, 1), s.time());
            NDArray eps = weights == null ? noise(condition, x, time, parameters)
                    : guidedNoise(condition, x, time, s, target, weights, parameters);
            NDArray clean = x.sub(eps.mul(s.noiseWeight())).div(s.signalWeight());
            if (clipToUnitRange) {
                clean = clean.clip(-1f, 1f);
                // The noise implied by the clipped estimate keeps the step consistent with what was kept.
                eps = x.sub(clean.mul(s.signalWeight())).div(s.noiseWeight());
            }
            x = clean.mul(s.previousSignalWeight()).add(eps.mul(s.previousNoiseWeight()));
        }
        return weights == null ? x : Inpainting.setFrozen(m, x, target, guidance);
    }

    /**
     * The predicted noise with RTC's pseudo-inverse guidance (PiGDM), as flow's
     * ({@link FlowSampling}) carried over to DDIM: in the variables {@code x / sqrt(abar)}, where DDIM
     * is Euler's method over the noise level {@code sigma = sqrt(1 - abar) / sqrt(abar)}, the guided
     * noise is {@code eps - min(beta, (1 + sigma^2) / sigma) J^T W (y - x0)}, {@code x0} the clean
     * chunk the step estimates, {@code J} its Jacobian in those variables ({@code sqrt(abar)} times
     * the one in {@code x}) and {@code (1 + sigma^2) / sigma} PiGDM's {@code sigma / r^2}.
     */
    private NDArray guidedNoise(NDArray condition, NDArray x, NDArray time, SamplingStep s, NDArray target, NDArray weights,
            ParameterStore parameters) {
        NDArray eps;
        NDArray pull;
        synchronized (Inpainting.COLLECTING) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray leaf = x.duplicate();
                leaf.setRequiresGradient(true);
                eps = noise(condition, leaf, time, parameters);
                NDArray clean = leaf.sub(eps.mul(s.noiseWeight())).div(s.signalWeight());
                NDArray error = target.sub(clean).mul(weights).stopGradient();
                collector.backward(clean.mul(error).sum());
                pull = leaf.getGradient().duplicate();
                eps = eps.stopGradient();
            }
        }
        float sigma = s.noiseWeight() / s.signalWeight();
        float weight = Math.min(Inpainting.GUIDANCE, (1 + sigma * sigma) / sigma);
        return eps.sub(pull.mul(weight * s.signalWeight()));
    }

    private NDArray noise(NDArray condition, NDArray x, NDArray time, ParameterStore parameters) {
        NDArray input = condition.concat(x, 1).concat(FlowNetwork.timeFeatures(time), 1);
        return net.head(parameters, input, false);
    }
}
