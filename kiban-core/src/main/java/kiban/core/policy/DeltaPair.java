package kiban.core.policy;

/**
 * An action feature a policy predicts as a step from a same-sized observation feature: the
 * command is the predicted row's {@code action} elements plus the {@code observation} measured
 * at the step the row is executed.
 */
public record DeltaPair(String action, String observation) {

    public DeltaPair {
        if (action == null || action.isBlank() || observation == null || observation.isBlank()) {
            throw new IllegalArgumentException("a delta pair needs an action and an observation feature name; got "
                    + action + " and " + observation);
        }
    }
}
