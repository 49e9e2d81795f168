package kiban.core.policy;

import java.util.ArrayDeque;
import java.util.Deque;

/** The last {@code steps} observations, the first repeated until there are enough, as policies want them. */
final class ObservationHistory {

    private final int steps;
    private final Deque<double[]> observations = new ArrayDeque<>();

    ObservationHistory(int steps) {
        this.steps = steps;
    }

    void clear() {
        observations.clear();
    }

    /** Adds the newest observation and returns the history, oldest first. */
    double[][] push(double[] observation) {
        if (observations.isEmpty()) {
            for (int i = 0; i < steps; i++) {
                observations.addLast(observation.clone());
            }
        } else {
            observations.addLast(observation.clone());
            while (observations.size() > steps) {
                observations.removeFirst();
            }
        }
        return observations.toArray(double[][]::new);
    }
}
