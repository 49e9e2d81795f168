package kiban.core.policy;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last {@code steps} observations, the first repeated until there are enough, as policies want them. */
final class ObservationHistory {

    private final int steps;
    private final Deque<PolicyObservation> observations = new ArrayDeque<>();

    ObservationHistory(int steps) {
        this.steps = steps;
    }

    void clear() {
        observations.clear();
    }

    /** Adds the newest observation and returns the history, oldest first. */
    PolicyObservation[] push(PolicyObservation observation) {
        // The state is copied, since callers reuse their vectors; image frames are handed over as they are.
        PolicyObservation kept = new PolicyObservation(observation.state().clone(), observation.images());
        if (observations.isEmpty()) {
            for (int i = 0; i < steps; i++) {
                observations.addLast(kept);
            }
        } else {
            observations.addLast(kept);
            while (observations.size() > steps) {
                observations.removeFirst();
            }
        }
        return observations.toArray(PolicyObservation[]::new);
    }
}
