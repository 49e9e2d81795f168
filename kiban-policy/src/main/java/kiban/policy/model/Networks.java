package kiban.policy.model;

import kiban.core.error.InvalidInputException;
import kiban.policy.nn.ActTransformer;
import kiban.policy.train.TrainConfig;

/** Builds the network a config names. */
public final class Networks {

    private Networks() {}

    /** A state-only network reading {@code observationInputs} encoded state elements (all observation steps). */
    public static PolicyNetwork create(TrainConfig config, int observationInputs, int chunkOutputs) {
        if (config.policy().equals(ActNetwork.TYPE)) {
            return act(config, observationInputs, chunkOutputs);
        }
        return create(config, ObservationLayout.stateOnly(1, observationInputs), chunkOutputs);
    }

    /** How a network of {@code config} reads rows of encoded states of {@code encodedStateDim} elements and {@code images}. */
    public static ObservationLayout layout(TrainConfig config, int encodedStateDim, java.util.List<kiban.core.policy.ImageSpec> images) {
        return layout(config, encodedStateDim, images, 0);
    }

    /** As {@link #layout(TrainConfig, int, java.util.List)}, with {@code instructionFeatures} elements of instruction at the end (0: none). */
    public static ObservationLayout layout(TrainConfig config, int encodedStateDim, java.util.List<kiban.core.policy.ImageSpec> images,
            int instructionFeatures) {
        return new ObservationLayout(config.observationSteps(), encodedStateDim, images, config.imageFeatureDim(),
                instructionFeatures);
    }

    /** A network reading rows laid out as {@code layout}, with a CNN per camera where it has cameras. */
    public static PolicyNetwork create(TrainConfig config, ObservationLayout layout, int chunkOutputs) {
        return switch (config.policy()) {
            case MlpNetwork.TYPE -> new MlpNetwork(layout, chunkOutputs, config.hidden());
            case FlowNetwork.TYPE -> new FlowNetwork(layout, chunkOutputs, config.hidden(), config.flowSteps(),
                    config.flowNoiseScale(), config.flowHead());
            case DiffusionNetwork.TYPE -> new DiffusionNetwork(layout, chunkOutputs, config.hidden(),
                    config.flowSteps(), DiffusionNetwork.clipsToUnitRange(config));
            case ActNetwork.TYPE -> act(config, layout, chunkOutputs);
            default -> throw new InvalidInputException("config", "policy", "one of " + TrainConfig.POLICIES,
                    "\"" + config.policy() + "\"");
        };
    }

    private static ActNetwork act(TrainConfig config, int observationInputs, int chunkOutputs) {
        int steps = config.observationSteps();
        if (observationInputs % steps != 0 || chunkOutputs % config.horizon() != 0) {
            throw new InvalidInputException("config", "observation_steps/horizon",
                    "divisors of the network's " + observationInputs + " inputs and " + chunkOutputs + " outputs",
                    steps + "/" + config.horizon());
        }
        return act(config, ObservationLayout.stateOnly(steps, observationInputs), chunkOutputs);
    }

    private static ActNetwork act(TrainConfig config, ObservationLayout layout, int chunkOutputs) {
        int steps = layout.steps();
        if (chunkOutputs % config.horizon() != 0) {
            throw new InvalidInputException("config", "horizon", "a divisor of the network's " + chunkOutputs + " outputs",
                    String.valueOf(config.horizon()));
        }
        if (config.modelDim() % config.heads() != 0) {
            throw new InvalidInputException("config", "model_dim", "a multiple of heads (" + config.heads() + ")",
                    String.valueOf(config.modelDim()));
        }
        return new ActNetwork(layout, new ActTransformer.Dims(steps, layout.tokenDim(), config.horizon(),
                chunkOutputs / config.horizon(), config.modelDim(), config.heads(), config.encoderLayers(),
                config.decoderLayers()));
    }

    /**
     * Seeds the noise flow and diffusion sample from. libtorch draws it from its global generator,
     * whether the network runs in Kiban or as TorchScript, so one policy evaluates at a time.
     */
    public static void seedSampling(long seed) {
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }
}
