package kiban.data.lerobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import kiban.core.error.InvalidInputException;
import kiban.core.normalize.FeatureStats;
import kiban.data.parquet.ParquetTables;
import kiban.core.json.Json;
import kiban.data.stats.RunningStats;
import kiban.data.stats.StatsAggregation;
import kiban.data.stats.StatsJson;
import kiban.data.table.Column;
import kiban.data.table.LongColumn;
import kiban.data.table.Table;
import kiban.data.video.Ffmpeg;
import kiban.data.video.RgbFrame;

/**
 * A LeRobot dataset on disk (v3.0, v2.1 or v2.0), opened read-only. Frames come back as typed
 * columns ({@link Table}); files are read whole, one at a time, so memory stays bounded by the
 * largest data file.
 *
 * <p>In v3.0, info.json's {@code total_episodes} is the commit point: episodes listed beyond it
 * (left by a writer killed between two file renames) are ignored and counted in
 * {@link #uncommittedEpisodes()}.
 */
public final class LeRobotDataset {

    private final Path root;
    private final DatasetInfo info;
    private final List<String> tasks;
    private final List<EpisodeInfo> episodes;
    private final int uncommitted;
    private Path cachedFile;
    private Table cachedTable;
    private Set<String> cachedColumns;

    private LeRobotDataset(Path root, DatasetInfo info, List<String> tasks, List<EpisodeInfo> episodes, int uncommitted) {
        this.root = root;
        this.info = info;
        this.tasks = tasks;
        this.episodes = episodes;
        this.uncommitted = uncommitted;
    }

    /** Opens the dataset in {@code dir}: reads info.json, tasks and episode metadata. */
    public static LeRobotDataset open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir.toString(), "", "a LeRobot dataset directory", "no such directory");
        }
        if (!Files.exists(dir.resolve("meta/info.json")) && Files.isDirectory(dir.resolve(LeRobotDatasetWriter.STAGING))
                && DatasetFolder.classify(dir) != DatasetFolder.Contents.OTHER) {
            throw DatasetFolder.unfinished(dir);
        }
        DatasetInfo info = DatasetInfo.read(dir);
        if (info.version() == FormatVersion.V3_0) {
            List<String> tasks = MetaFiles.readTasksParquet(dir);
            List<EpisodeInfo> all = MetaFiles.readEpisodesParquet(dir, info);
            all = new ArrayList<>(all);
            all.sort(java.util.Comparator.comparingInt(EpisodeInfo::index));
            int committed = Math.min(info.totalEpisodes(), all.size());
            return new LeRobotDataset(dir, info, tasks, List.copyOf(all.subList(0, committed)), all.size() - committed);
        }
        List<String> tasks = MetaFiles.readTasksJsonl(dir);
        List<EpisodeInfo> eps = MetaFiles.readEpisodesJsonl(dir, info);
        return new LeRobotDataset(dir, info, tasks, eps, 0);
    }

    public Path root() {
        return root;
    }

    public DatasetInfo info() {
        return info;
    }

    public FormatVersion version() {
        return info.version();
    }

    public List<String> tasks() {
        return tasks;
    }

    public List<EpisodeInfo> episodes() {
        return episodes;
    }

    /** Episodes listed in the episode metadata beyond info.json's total (an interrupted write). */
    public int uncommittedEpisodes() {
        return uncommitted;
    }

    public EpisodeInfo episode(int index) {
        if (index < 0 || index >= episodes.size() || episodes.get(index).index() != index) {
            for (EpisodeInfo e : episodes) {
                if (e.index() == index) {
                    return e;
                }
            }
            throw new InvalidInputException(root.toString(), "episode", "an episode index in 0.." + (episodes.size() - 1),
                    Integer.toString(index));
        }
        return episodes.get(index);
    }

    public long totalFrames() {
        return episodes.isEmpty() ? 0 : episodes.get(episodes.size() - 1).to() - episodes.get(0).from();
    }

    /**
     * Dataset-wide stats: meta/stats.json when present, else (v2.1) the pooled per-episode stats.
     * Empty when neither exists.
     */
    public Map<String, FeatureStats> stats() {
        Map<String, FeatureStats> s = MetaFiles.readStatsJson(root);
        if (!s.isEmpty() || episodes.isEmpty() || episodes.get(0).stats().isEmpty()) {
            return s;
        }
        Map<String, FeatureStats> out = new LinkedHashMap<>();
        for (String f : episodes.get(0).stats().keySet()) {
            List<FeatureStats> parts = new ArrayList<>();
            for (EpisodeInfo e : episodes) {
                if (e.stats().containsKey(f)) {
                    parts.add(e.stats().get(f));
                }
            }
            out.put(f, StatsAggregation.aggregate(parts));
        }
        return out;
    }

    /** The data parquet file holding an episode. */
    public Path dataFile(EpisodeInfo e) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("chunk_index", e.dataChunk());
        v.put("file_index", e.dataFile());
        v.put("episode_chunk", e.index() / info.chunksSize());
        v.put("episode_index", e.index());
        return root.resolve(DatasetInfo.format(info.dataPath(), v));
    }

    /** The mp4 holding one camera's frames of an episode, or null when the dataset has no video path. */
    public Path videoFile(String videoKey, EpisodeInfo e) {
        if (info.videoPath() == null) {
            return null;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("video_key", videoKey);
        v.put("episode_chunk", e.index() / info.chunksSize());
        v.put("episode_index", e.index());
        EpisodeInfo.VideoSpan span = e.videos().get(videoKey);
        v.put("chunk_index", span == null ? 0 : span.chunk());
        v.put("file_index", span == null ? 0 : span.file());
        return root.resolve(DatasetInfo.format(info.videoPath(), v));
    }

    /** The RGB frame {@code frameIndex} (0-based in the episode) of video feature {@code videoKey}. */
    public RgbFrame videoFrame(String videoKey, int episode, int frameIndex) {
        return videoFrames(videoKey, episode, frameIndex, 1).get(0);
    }

    /**
     * The frame shown at {@code timestamp} seconds into the episode: the one whose timestamp
     * (frame_index / fps) is at or before it, as LeRobot's decoder picks within its tolerance.
     */
    public RgbFrame videoFrameAt(String videoKey, int episode, double timestamp) {
        int frame = (int) Math.floor(timestamp * info.fps() + Ffmpeg.TOLERANCE_S * info.fps());
        return videoFrame(videoKey, episode, frame);
    }

    /** {@code count} consecutive frames of an episode's video from {@code fromFrame}, decoded in one pass. */
    public List<RgbFrame> videoFrames(String videoKey, int episode, int fromFrame, int count) {
        Feature f = info.features().get(videoKey);
        if (f == null || !f.isVideo()) {
            throw new InvalidInputException(root.toString(), "video key", "one of " + info.videoFeatures().stream().map(Feature::name)
                    .toList(), videoKey);
        }
        EpisodeInfo e = episode(episode);
        if (fromFrame < 0 || count < 1 || fromFrame + count > e.length()) {
            throw new InvalidInputException("episode " + episode, "frames", "within [0, " + e.length() + ")", fromFrame + ".."
                    + (fromFrame + count - 1));
        }
        EpisodeInfo.VideoSpan span = e.videos().get(videoKey);
        double start = (span == null ? 0 : span.fromTimestamp()) + (double) fromFrame / info.fps();
        int[] hw = f.frameSize();
        return Ffmpeg.decode(videoFile(videoKey, e), start, count, hw[0], hw[1]);
    }

    /** Distinct data files, in episode order. */
    public List<Path> dataFiles() {
        LinkedHashSet<Path> files = new LinkedHashSet<>();
        episodes.forEach(e -> files.add(dataFile(e)));
        return List.copyOf(files);
    }

    /** Names of the parquet columns (features that are not videos). */
    public Set<String> parquetColumns() {
        LinkedHashSet<String> s = new LinkedHashSet<>();
        info.parquetFeatures().stream().filter(f -> !f.isImage()).forEach(f -> s.add(f.name()));
        return s;
    }

    /** All parquet columns of one episode. */
    public Table readEpisode(int index) {
        return readEpisode(index, parquetColumns());
    }

    /** The named columns of one episode's frames, in frame order. */
    public Table readEpisode(int index, Set<String> columns) {
        EpisodeInfo e = episode(index);
        Path file = dataFile(e);
        Set<String> cols = new LinkedHashSet<>(columns);
        cols.add("index");
        Table t = readFile(file, cols);
        if (info.version().perEpisodeFiles()) {
            return t;
        }
        LongColumn idx = t.longs("index");
        int start = -1;
        for (int i = 0; i < t.rows(); i++) {
            if (idx.get(i) == e.from()) {
                start = i;
                break;
            }
        }
        if (start < 0 || start + e.length() > t.rows()) {
            throw new InvalidInputException(file.toString(), "index", "rows " + e.from() + ".." + (e.to() - 1) + " of episode " + index,
                    "they are not all in the file");
        }
        return t.slice(start, (int) (start + e.length()));
    }

    private synchronized Table readFile(Path file, Set<String> cols) {
        if (!file.equals(cachedFile) || !cols.equals(cachedColumns)) {
            cachedTable = ParquetTables.read(file, cols);
            cachedFile = file;
            cachedColumns = cols;
        }
        return cachedTable;
    }

    /** Calls {@code sink} with each data file's committed frames (named columns), in order. */
    public void forEachFile(Set<String> columns, Consumer<Table> sink) {
        Set<String> cols = new LinkedHashSet<>(columns);
        cols.add("index");
        long end = episodes.isEmpty() ? 0 : episodes.get(episodes.size() - 1).to();
        for (Path f : dataFiles()) {
            Table t = ParquetTables.read(f, cols);
            LongColumn idx = t.longs("index");
            int n = t.rows();
            while (n > 0 && idx.get(n - 1) >= end) {
                n--;
            }
            sink.accept(n == t.rows() ? t : t.slice(0, n));
        }
    }

    /** Every committed frame's named columns in one table; files are decoded in parallel. */
    public Table readAll(Set<String> columns) {
        Set<String> withIndex = new LinkedHashSet<>(columns);
        withIndex.add("index");
        long end = episodes.isEmpty() ? 0 : episodes.get(episodes.size() - 1).to();
        Map<Path, Long> expected = new LinkedHashMap<>();
        episodes.forEach(e -> expected.merge(dataFile(e), e.length(), Long::sum));
        List<Table> parts = dataFiles().parallelStream().map(f -> {
            if (ParquetTables.rowCount(f) == expected.get(f)) {
                // Nothing uncommitted in this file: no need for the index column.
                return ParquetTables.read(f, columns);
            }
            Table t = ParquetTables.read(f, withIndex);
            LongColumn idx = t.longs("index");
            int n = t.rows();
            while (n > 0 && idx.get(n - 1) >= end) {
                n--;
            }
            return n == t.rows() ? t : t.slice(0, n);
        }).toList();
        return Table.concat(parts);
    }

    /**
     * Recomputes the stats of every numeric feature in one streaming pass over the data files
     * (memory bounded by one file plus the {@link RunningStats} sketches).
     */
    public Map<String, FeatureStats> computeStats() {
        Set<String> cols = new LinkedHashSet<>();
        info.parquetFeatures().stream().filter(Feature::numeric).forEach(f -> cols.add(f.name()));
        Map<String, RunningStats> running = new LinkedHashMap<>();
        forEachFile(cols, t -> accumulate(t, cols, running));
        Map<String, FeatureStats> out = new LinkedHashMap<>();
        running.forEach((k, v) -> out.put(k, v.toFeatureStats()));
        return out;
    }

    /** Adds every row of {@code columns} in {@code table} to the running statistics of its column. */
    static void accumulate(Table table, Set<String> columns, Map<String, RunningStats> running) {
        for (String c : columns) {
            Column col = table.column(c);
            RunningStats rs = running.computeIfAbsent(c, k -> new RunningStats(col.width()));
            double[] v = new double[col.width()];
            for (int i = 0; i < col.rows(); i++) {
                for (int j = 0; j < v.length; j++) {
                    v[j] = col.getDouble(i, j);
                }
                rs.add(v, 0);
            }
        }
    }

    /**
     * Replaces meta/stats.json (v3.0) atomically with {@code stats}, holding the dataset's writer
     * lock (refused while a writer records into it, whose next save would replace the file anyway).
     */
    public void writeStats(Map<String, FeatureStats> stats) {
        if (info.version() != FormatVersion.V3_0) {
            throw new InvalidInputException(root.toString(), "codebase_version", "v3.0 to write stats.json", info.version().text());
        }
        StagingLock lock = StagingLock.acquire(root, DatasetFiles.SYSTEM);
        try {
            FileChanges changes = new FileChanges(DatasetFiles.SYSTEM, root.resolve(LeRobotDatasetWriter.STAGING));
            String text = Json.pretty(StatsJson.write(stats));
            changes.replaceText(root.resolve("meta/stats.json"), text);
            changes.forget();
        } finally {
            lock.releaseAndClean();
        }
    }
}
