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
        // Copied, since callers may reuse their arrays for the next step (a frame is a few KiB).
        java.util.Map<String, byte[]> images = new java.util.TreeMap<>();
        observation.images().forEach((k, v) -> images.put(k, v.clone()));
        PolicyObservation kept = new PolicyObservation(observation.state().clone(), images);
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
