package kiban.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An evaluation of one policy on one env over fixed seeds.
 *
 * @param readings for a policy that estimates some of its state ({@link kiban.core.policy.EstimatesState}),
 *     each state it acted on beside the true one, over every episode; empty for any other
 */
public record EvalResult(
        String env,
        String policy,
        long firstSeed,
        List<EpisodeRecord> episodes,
        List<String> actionNames,
        double secondsPerEpisode,
        List<StateReading> readings) {

    public EvalResult {
        episodes = List.copyOf(episodes);
        actionNames = List.copyOf(actionNames);
        readings = List.copyOf(readings);
    }

    /** The evaluation of a policy that reads the whole state from the observation. */
    public EvalResult(String env, String policy, long firstSeed, List<EpisodeRecord> episodes, List<String> actionNames,
            double secondsPerEpisode) {
        this(env, policy, firstSeed, episodes, actionNames, secondsPerEpisode, List.of());
    }

    /** One state a policy acted on as it read it ({@code read}) and as the simulator had it ({@code truth}). */
    public record StateReading(double[] truth, double[] read) {}

    public long successes() {
        return episodes.stream().filter(EpisodeRecord::success).count();
    }

    public double successRate() {
        return successes() / (double) episodes.size();
    }

    /** The 95% Wilson interval of the success rate. */
    public double[] successInterval() {
        return Confidence.wilson(successes(), episodes.size(), Confidence.Z95);
    }

    /** One task's episodes: how many, how many succeeded, and the 95% Wilson interval of their rate. */
    public record TaskSuccess(int episodes, long successes, double[] interval) {
        public double rate() {
            return successes / (double) episodes;
        }
    }

    /** The success of each task's episodes, by task name in the order they first ran. */
    public Map<String, TaskSuccess> successPerTask() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (EpisodeRecord e : episodes) {
            long[] c = counts.computeIfAbsent(e.task(), t -> new long[2]);
            c[0] += e.success() ? 1 : 0;
            c[1]++;
        }
        Map<String, TaskSuccess> out = new LinkedHashMap<>();
        counts.forEach((t, c) -> out.put(t, new TaskSuccess((int) c[1], c[0], Confidence.wilson(c[0], (int) c[1], Confidence.Z95))));
        return out;
    }

    public double meanScore() {
        return episodes.stream().mapToDouble(EpisodeRecord::score).average().orElse(0);
    }

    public double meanReward() {
        return episodes.stream().mapToDouble(EpisodeRecord::totalReward).average().orElse(0);
    }

    public double meanLength() {
        return episodes.stream().mapToInt(EpisodeRecord::length).average().orElse(0);
    }

    /** Each env metric averaged over the episodes that report it (with several tasks, some report a metric of their own). */
    public Map<String, Double> metrics() {
        Map<String, Double> sums = new TreeMap<>();
        Map<String, Integer> reported = new TreeMap<>();
        episodes.forEach(e -> e.metrics().forEach((k, v) -> {
            sums.merge(k, v, Double::sum);
            reported.merge(k, 1, Integer::sum);
        }));
        sums.replaceAll((k, v) -> v / reported.get(k));
        return sums;
    }
}
