package kiban.policy.model;

import kiban.core.error.InvalidInputException;
import kiban.core.normalize.NormalizationMode;
import kiban.policy.nn.ActTransformer;
import kiban.policy.train.TrainConfig;

/** Builds the network a config names. */
public final class Networks {

    private Networks() {}

    public static PolicyNetwork create(TrainConfig config, int observationInputs, int chunkOutputs) {
        return switch (config.policy()) {
            case MlpNetwork.TYPE -> new MlpNetwork(observationInputs, chunkOutputs, config.hidden());
            case FlowNetwork.TYPE -> new FlowNetwork(observationInputs, chunkOutputs, config.hidden(), config.flowSteps());
            case DiffusionNetwork.TYPE -> new DiffusionNetwork(observationInputs, chunkOutputs, config.hidden(),
                    config.flowSteps(), config.normalization() == NormalizationMode.MIN_MAX);
            case ActNetwork.TYPE -> act(config, observationInputs, chunkOutputs);
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
        if (config.modelDim() % config.heads() != 0) {
            throw new InvalidInputException("config", "model_dim", "a multiple of heads (" + config.heads() + ")",
                    String.valueOf(config.modelDim()));
        }
        return new ActNetwork(new ActTransformer.Dims(steps, observationInputs / steps, config.horizon(),
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
