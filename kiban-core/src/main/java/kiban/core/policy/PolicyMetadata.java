package kiban.core.policy;

import java.util.List;
import kiban.core.embodiment.FeatureSpec;

/**
 * What a policy consumes and produces: the observation features it reads (the state vector is
 * their concatenation), how many past observations it wants, the action features of each chunk
 * row, the chunk length it predicts and how many of those actions a caller should execute
 * before asking again.
 */
public record PolicyMetadata(
        String type,
        List<FeatureSpec> observation,
        List<FeatureSpec> action,
        int observationSteps,
        int horizon,
        int actionSteps) {

    public PolicyMetadata {
        observation = List.copyOf(observation);
        action = List.copyOf(action);
        if (observationSteps < 1 || horizon < 1 || actionSteps < 1 || actionSteps > horizon) {
            throw new IllegalArgumentException("need 1 <= observationSteps, 1 <= actionSteps <= horizon; got "
                    + observationSteps + ", " + actionSteps + ", " + horizon);
        }
    }

    public int observationDim() {
        return observation.stream().mapToInt(FeatureSpec::size).sum();
    }

    public int actionDim() {
        return action.stream().mapToInt(FeatureSpec::size).sum();
    }
}
