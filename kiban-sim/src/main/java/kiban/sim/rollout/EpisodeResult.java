package kiban.sim.rollout;

import java.util.Map;

/** One finished episode: its seed and task, outcome, return, length and the env's own episode metrics. */
public record EpisodeResult(long seed, String task, boolean success, double totalReward, int length,
        Map<String, Double> metrics) {

    public EpisodeResult {
        metrics = Map.copyOf(metrics);
    }
}
