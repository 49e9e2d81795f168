package kiban.eval;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An evaluation of one policy on one env over fixed seeds. */
public record EvalResult(
        String env,
        String policy,
        long firstSeed,
        List<EpisodeRecord> episodes,
        List<String> actionNames,
        double secondsPerEpisode) {

    public EvalResult {
        episodes = List.copyOf(episodes);
        actionNames = List.copyOf(actionNames);
    }

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

    public double meanScore() {
        return episodes.stream().mapToDouble(EpisodeRecord::score).average().orElse(0);
    }

    public double meanReward() {
        return episodes.stream().mapToDouble(EpisodeRecord::totalReward).average().orElse(0);
    }

    public double meanLength() {
        return episodes.stream().mapToInt(EpisodeRecord::length).average().orElse(0);
    }

    /** Each env metric averaged over the episodes. */
    public Map<String, Double> metrics() {
        Map<String, Double> sums = new TreeMap<>();
        episodes.forEach(e -> e.metrics().forEach((k, v) -> sums.merge(k, v, Double::sum)));
        sums.replaceAll((k, v) -> v / episodes.size());
        return sums;
    }
}
