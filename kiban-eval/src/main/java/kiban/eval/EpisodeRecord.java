package kiban.eval;

import java.util.Map;

/**
 * One evaluated episode, of the env task named {@code task}. {@code score} is the largest per-step reward of the episode, the
 * Diffusion Policy metric (for PushT, clipped coverage / 0.95). {@code actions} is the executed
 * action trace and {@code animation} a GIF of the episode, each kept for the first few episodes
 * only (null otherwise).
 */
public record EpisodeRecord(
        long seed,
        String task,
        boolean success,
        double score,
        double totalReward,
        int length,
        Map<String, Double> metrics,
        double[][] actions,
        byte[] animation) {

    public EpisodeRecord {
        metrics = Map.copyOf(metrics);
    }
}
