package kiban.core.policy;

import java.util.List;

/**
 * A policy that reads some of its state features from its cameras instead of the observation (an
 * {@code estimated-state} run): what it read, so that a simulator, which knows the true state, can
 * say how far off the policy was on the states it drove into, not only on recorded ones.
 */
public interface EstimatesState {

    /** The names of the state features it reads from the cameras, in state order. */
    List<String> estimatedFeatures();

    /**
     * The state its latest answer acted on, the estimated features as it read them: a new array
     * with every answer, null before the first.
     */
    double[] lastReading();

    /**
     * From now on, takes {@code features} (some of {@link #estimatedFeatures}) as the observation
     * gives them instead of reading them from the cameras; none (an empty list) restores the
     * estimator. In a simulator, whose observation is the truth, this shows which reading costs what.
     *
     * @throws IllegalArgumentException naming the estimated features, for a name that is not one
     */
    void measure(List<String> features);
}
