package kiban.sim.rollout;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Episodes of one env summarised: success rate, mean return and length, throughput, and each
 * env metric averaged under its own name over the episodes that report it.
 *
 * @param stepsPerSecond env steps per second of wall time, policy included
 * @param envStepsPerSecond env steps per second of time spent inside {@code step} alone
 */
public record RolloutSummary(
        String env,
        String policy,
        int episodes,
        double successRate,
        double meanReward,
        double meanLength,
        double stepsPerSecond,
        double envStepsPerSecond,
        Map<String, Double> metrics,
        List<EpisodeResult> perEpisode) {

    /** The success rate of each task's episodes, by task name in the order they first ran. */
    public Map<String, Double> successRatePerTask() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (EpisodeResult r : perEpisode) {
            int[] c = counts.computeIfAbsent(r.task(), t -> new int[2]);
            c[0] += r.success() ? 1 : 0;
            c[1]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        counts.forEach((t, c) -> out.put(t, c[0] / (double) c[1]));
        return out;
    }

    public static RolloutSummary of(String env, String policy, List<EpisodeResult> results, double wallSeconds,
            double stepSeconds) {
        int n = results.size();
        long steps = results.stream().mapToLong(EpisodeResult::length).sum();
        // Each metric over the episodes that report it: with several tasks, some metrics belong to some tasks only.
        Map<String, Double> metrics = new TreeMap<>();
        Map<String, Integer> reported = new TreeMap<>();
        for (EpisodeResult r : results) {
            r.metrics().forEach((k, v) -> {
                metrics.merge(k, v, Double::sum);
                reported.merge(k, 1, Integer::sum);
            });
        }
        metrics.replaceAll((k, sum) -> sum / reported.get(k));
        return new RolloutSummary(env, policy, n,
                results.stream().filter(EpisodeResult::success).count() / (double) n,
                results.stream().mapToDouble(EpisodeResult::totalReward).average().orElse(0),
                steps / (double) n,
                steps / Math.max(wallSeconds, 1e-9),
                steps / Math.max(stepSeconds, 1e-9),
                metrics, results);
    }
}
