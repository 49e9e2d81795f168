package kiban.core.policy;

import java.util.List;
import kiban.core.embodiment.FeatureSpec;

/**
 * What a policy consumes and produces: the observation features it reads (the state vector is
 * their concatenation), how many past observations it wants, the action features of each chunk
 * row, the chunk length it predicts and how many of those actions a caller should execute
 * before asking again.
 *
 * <p>{@code deltaActions} lists the action features the policy predicts as steps from a
 * same-sized observation feature (empty: every row is an absolute command); executors turn such
 * rows into commands with {@link DeltaActions}, using the observation measured when the row runs.
 *
 * <p>{@code images} lists the camera images the policy reads besides the state (empty: a state-only
 * policy); such a policy is given them in each {@link PolicyObservation}.
 */
public record PolicyMetadata(
        String type,
        List<FeatureSpec> observation,
        List<FeatureSpec> action,
        int observationSteps,
        int horizon,
        int actionSteps,
        List<DeltaPair> deltaActions,
        List<ImageSpec> images) {

    /** Metadata of a state-only policy. */
    public PolicyMetadata(String type, List<FeatureSpec> observation, List<FeatureSpec> action, int observationSteps,
            int horizon, int actionSteps, List<DeltaPair> deltaActions) {
        this(type, observation, action, observationSteps, horizon, actionSteps, deltaActions, List.of());
    }

    /** Metadata whose rows are absolute commands (no delta actions). */
    public PolicyMetadata(String type, List<FeatureSpec> observation, List<FeatureSpec> action, int observationSteps,
            int horizon, int actionSteps) {
        this(type, observation, action, observationSteps, horizon, actionSteps, List.of());
    }

    public PolicyMetadata {
        observation = List.copyOf(observation);
        action = List.copyOf(action);
        deltaActions = List.copyOf(deltaActions);
        images = List.copyOf(images);
        DeltaActions.check(observation, action, deltaActions);
        if (observationSteps < 1 || horizon < 1 || actionSteps < 1 || actionSteps > horizon) {
            throw new IllegalArgumentException("need 1 <= observationSteps, 1 <= actionSteps <= horizon; got "
                    + observationSteps + ", " + actionSteps + ", " + horizon);
        }
    }

    public int observationDim() {
        return observation.stream().mapToInt(FeatureSpec::size).sum();
    }

    /** A copy whose rows are steps for {@code pairs}. */
    public PolicyMetadata withDeltaActions(List<DeltaPair> pairs) {
        return new PolicyMetadata(type, observation, action, observationSteps, horizon, actionSteps, pairs, images);
    }

    /** A copy that reads the camera images {@code images}. */
    public PolicyMetadata withImages(List<ImageSpec> images) {
        return new PolicyMetadata(type, observation, action, observationSteps, horizon, actionSteps, deltaActions, images);
    }

    /** A copy that is given the last {@code steps} observations. */
    public PolicyMetadata withObservationSteps(int steps) {
        return new PolicyMetadata(type, observation, action, steps, horizon, actionSteps, deltaActions, images);
    }

    public int actionDim() {
        return action.stream().mapToInt(FeatureSpec::size).sum();
    }
}
