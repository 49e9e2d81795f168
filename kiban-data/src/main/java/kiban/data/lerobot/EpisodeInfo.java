package kiban.data.lerobot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.normalize.FeatureStats;

/**
 * One episode: its tasks, its global frame range [{@code from}, {@code to}), the data file holding it
 * (v3.0; for v2.x chunk = index / chunks_size and file = -1), its video spans and its stats.
 */
public record EpisodeInfo(
        int index,
        List<String> tasks,
        long length,
        long from,
        long to,
        int dataChunk,
        int dataFile,
        Map<String, VideoSpan> videos,
        Map<String, FeatureStats> stats) {

    public EpisodeInfo {
        tasks = List.copyOf(tasks);
        videos = Collections.unmodifiableMap(new LinkedHashMap<>(videos));
        stats = Collections.unmodifiableMap(new LinkedHashMap<>(stats));
    }

    /** Where one camera's frames of an episode lie: a file, and the episode's time span inside it. */
    public record VideoSpan(int chunk, int file, double fromTimestamp, double toTimestamp) {
    }
}
