package kiban.core.policy;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last {@code steps} observations, as policies that read several want them: the first one after
 * a start or a {@link #clear} is repeated until there are enough, as LeRobot's policies fill their
 * queues, so the first step of an episode needs no earlier observations.
 */
public final class ObservationHistory {

    private final int steps;
    private final Deque<PolicyObservation> observations = new ArrayDeque<>();

    public ObservationHistory(int steps) {
        this.steps = steps;
    }

    /** Forgets the history: the next observation starts a new episode. */
    public void clear() {
        observations.clear();
    }

    public int size() {
        return observations.size();
    }

    /** Adds a copy of the newest observation and returns the history, oldest first. */
    public PolicyObservation[] push(PolicyObservation observation) {
        // Copied, since callers may reuse their arrays for the next step (a frame is a few KiB).
        java.util.Map<String, byte[]> images = new java.util.TreeMap<>();
        observation.images().forEach((k, v) -> images.put(k, v.clone()));
        return pushOwned(new PolicyObservation(observation.state().clone(), images, observation.instruction()));
    }

    /** As {@link #push}, keeping {@code observation} itself: for one whose arrays nobody else writes (a decoded request). */
    public PolicyObservation[] pushOwned(PolicyObservation observation) {
        if (observations.isEmpty()) {
            for (int i = 0; i < steps; i++) {
                observations.addLast(observation);
            }
        } else {
            observations.addLast(observation);
            while (observations.size() > steps) {
                observations.removeFirst();
            }
        }
        return observations.toArray(PolicyObservation[]::new);
    }
}
