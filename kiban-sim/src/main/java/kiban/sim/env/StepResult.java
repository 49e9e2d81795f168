package kiban.sim.env;

import java.util.Map;

/**
 * The outcome of one control step, as in Gymnasium: {@code terminated} when the task ended
 * (success or failure), {@code truncated} when the step limit cut it short. {@code info} holds
 * the env's per-step figures (coverage, speed, clipped action count, ...).
 */
public record StepResult(Observation observation, double reward, boolean terminated, boolean truncated,
        Map<String, Double> info) {

    public StepResult {
        info = Map.copyOf(info);
    }

    public boolean done() {
        return terminated || truncated;
    }
}
