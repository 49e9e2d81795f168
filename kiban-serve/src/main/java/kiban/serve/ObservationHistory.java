package kiban.serve;

import java.util.ArrayDeque;
import kiban.core.policy.PolicyObservation;

/**
 * One connection's recent observations, for a client that sends the newest observation only (as
 * openpi's client loop does) to a policy that reads several. The first observation after a start
 * or a reset fills the history by repetition, as LeRobot's policies fill their queues, so the first
 * reply of an episode needs no earlier observations.
 */
final class ObservationHistory {

    private final int steps;
    private final ArrayDeque<PolicyObservation> recent;

    ObservationHistory(int steps) {
        this.steps = steps;
        this.recent = new ArrayDeque<>(steps);
    }

    /** Adds the newest observation and returns the history the policy reads, oldest first. */
    synchronized PolicyObservation[] push(PolicyObservation newest) {
        while (recent.size() < steps - 1) {
            recent.addLast(newest);
        }
        recent.addLast(newest);
        while (recent.size() > steps) {
            recent.removeFirst();
        }
        return recent.toArray(PolicyObservation[]::new);
    }

    /** Forgets the history: the next observation starts a new episode. */
    synchronized void reset() {
        recent.clear();
    }

    synchronized int size() {
        return recent.size();
    }
}
