package kiban.policy.model;

import kiban.core.error.InvalidInputException;
import kiban.core.normalize.NormalizationMode;
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
            default -> throw new InvalidInputException("config", "policy", "one of " + TrainConfig.POLICIES,
                    "\"" + config.policy() + "\"");
        };
    }
}
