package kiban.data.lerobot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.normalize.FeatureStats;
import kiban.core.io.AtomicFiles;
import kiban.data.parquet.ParquetTables;
import kiban.data.stats.RunningStats;
import kiban.data.stats.StatsJson;
import kiban.data.table.Column;
import kiban.data.table.FloatColumn;
import kiban.data.table.LongColumn;
import kiban.data.table.Table;
import kiban.data.video.RgbFrame;

/**
 * Records a LeRobot v3.0 dataset episode by episode: {@link #create}, {@link #addFrame} for each
 * frame, {@link #saveEpisode} at the end of each episode, {@link #close} at the end.
 *
 * <h2>Crash safety</h2>
 * Every file is replaced atomically (written to {@code .kiban-staging/}, forced to disk, renamed).
 * {@code saveEpisode} first rewrites the current data file with the new episode appended (the old
 * row groups are copied byte for byte, the episode becomes one new row group), then the episode
 * metadata, tasks and stats.json, and last info.json, whose {@code total_episodes} is the commit
 * point. A kill -9 at any moment therefore leaves every episode whose {@code saveEpisode} returned
 * intact; at worst the last data file and episode metadata hold one more, uncommitted episode, which
 * readers and the validator ignore (reported as a warning) and {@link #resume} drops.
 *
 * <h2>File sizes</h2>
 * Appending an episode rewrites the current data file (a byte copy of its pages), so a file takes
 * episodes only until the next would push it past {@code min(data_files_size_in_mb, rewrite limit)}:
 * LeRobot's cap is 100 MB, Kiban's default rewrite limit {@value #DEFAULT_REWRITE_LIMIT_MB} MB, which
 * bounds the copy per episode (tens of milliseconds) at the price of more, smaller files than
 * LeRobot's recorder makes; both are valid v3.0. A file that is full (and the last one, on close)
 * is re-encoded once as a single row group. The episode metadata is one file, rewritten per
 * episode (small: one row per episode).
 *
 * <h2>Videos</h2>
 * A video feature's frames ({@link RgbFrame} or {@code byte[]} RGB HWC) are piped to an ffmpeg
 * encoder as they arrive, into a staging file. {@code saveEpisode} appends the episode's video to the
 * feature's current mp4 (a stream copy, no re-encoding; same size rule as data files, with
 * {@code video_files_size_in_mb}) before the data file, so when info.json commits the episode its
 * video is already in place; a crash in between leaves at most an uncommitted tail in the last mp4,
 * which nothing reads and {@link #resume} cuts off. Each episode's span in its mp4 is recorded as
 * LeRobot does: {@code from_timestamp} is the previous episode's {@code to_timestamp} in the same
 * file (0 in a new file), {@code to_timestamp = from_timestamp + length / fps}.
 */
public final class LeRobotDatasetWriter implements AutoCloseable {

    static final String STAGING = ".kiban-staging";
    /** Default largest data file (MB) that is rewritten to append an episode. */
    public static final int DEFAULT_REWRITE_LIMIT_MB = 16;

    private final Path root;
    private final Path staging;
    private DatasetInfo info;
    private final List<Feature> recorded;
    private final EpisodeBuffer buffer;
    private final List<String> tasks;
    private final List<EpisodeInfo> episodes;
    private final Map<String, RunningStats> running = new LinkedHashMap<>();
    private final EpisodeVideos videos;
    private final long capBytes;
    private int chunk;
    private int file = -1;
    private boolean closed;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private LeRobotDatasetWriter(Path root, DatasetInfo info, List<String> tasks, List<EpisodeInfo> episodes, int rewriteLimitMb) {
        this.root = root;
        this.staging = root.resolve(STAGING);
        this.info = info;
        this.recorded = info.parquetFeatures().stream().filter(f -> !Feature.DEFAULT_COLUMNS.contains(f.name())).toList();
        for (Feature f : info.features().values()) {
            if (f.isImage() || f.dtype().equals("string")) {
                throw new InvalidInputException("features", f.name(), "float32, float64, int64, bool or video features (the writer "
                        + "does not embed images; record cameras as video)", f.dtype());
            }
            if (f.isVideo() && (f.shape().size() != 3 || f.shape().get(2) != 3)) {
                throw new InvalidInputException("features", f.name() + ".shape", "[height, width, 3] for a video", f.shape().toString());
            }
        }
        this.buffer = new EpisodeBuffer(recorded);
        this.tasks = new ArrayList<>(tasks);
        this.episodes = new ArrayList<>(episodes);
        this.capBytes = (long) Math.min(info.dataFilesSizeInMb(), rewriteLimitMb) * 1024 * 1024;
        this.videos = new EpisodeVideos(root, staging, info, (long) Math.min(info.videoFilesSizeInMb(), rewriteLimitMb) * 1024 * 1024);
        try {
            Files.createDirectories(staging);
            clearStaging();
            lockChannel = FileChannel.open(staging.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            throw new KibanException("cannot lock " + staging + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            throw new KibanException(root + " is being written by another process (lock " + staging.resolve("lock") + ")");
        }
        if (!episodes.isEmpty()) {
            EpisodeInfo last = episodes.get(episodes.size() - 1);
            chunk = last.dataChunk();
            file = last.dataFile();
        }
    }

    /** Writer options: frames per second, robot type, the recorded features, and the data file cap. */
    public record Options(int fps, String robotType, List<Feature> features, int dataFilesSizeInMb, int rewriteLimitMb,
            boolean force) {
        public Options {
            features = List.copyOf(features);
            if (fps <= 0) {
                throw new InvalidInputException("writer options", "fps", "> 0", Integer.toString(fps));
            }
            if (dataFilesSizeInMb <= 0) {
                throw new InvalidInputException("writer options", "data_files_size_in_mb", "> 0", Integer.toString(dataFilesSizeInMb));
            }
            if (rewriteLimitMb <= 0) {
                throw new InvalidInputException("writer options", "rewrite_limit_mb", "> 0", Integer.toString(rewriteLimitMb));
            }
        }

        public static Options of(int fps, String robotType, List<Feature> features) {
            return new Options(fps, robotType, features, DatasetInfo.DATA_FILES_SIZE_IN_MB, DEFAULT_REWRITE_LIMIT_MB, false);
        }

        public Options withForce(boolean f) {
            return new Options(fps, robotType, features, dataFilesSizeInMb, rewriteLimitMb, f);
        }

        /** The format's data file cap, written to info.json. */
        public Options withDataFilesSizeInMb(int mb) {
            return new Options(fps, robotType, features, mb, rewriteLimitMb, force);
        }

        /** The largest data file rewritten to append an episode (see the class comment). */
        public Options withRewriteLimitMb(int mb) {
            return new Options(fps, robotType, features, dataFilesSizeInMb, mb, force);
        }
    }

    /**
     * Starts a new dataset in {@code dir}. An existing non-empty directory is an error unless
     * {@code force}, which replaces it only if it holds a LeRobot dataset (meta/info.json).
     */
    public static LeRobotDatasetWriter create(Path dir, Options options) {
        if (Files.exists(dir)) {
            boolean empty;
            try (var s = Files.list(dir)) {
                empty = s.findAny().isEmpty();
            } catch (IOException e) {
                throw new InvalidInputException(dir.toString(), "", "a directory", e.getMessage());
            }
            if (!empty) {
                if (!options.force()) {
                    throw new InvalidInputException(dir.toString(), "", "a new or empty directory (use --resume to continue it, "
                            + "--force to replace it)", "an existing non-empty directory");
                }
                if (!Files.isRegularFile(dir.resolve("meta/info.json"))) {
                    throw new InvalidInputException(dir.toString(), "", "a LeRobot dataset to replace (meta/info.json)",
                            "a directory that is not a dataset; not deleting it");
                }
                deleteTree(dir);
            }
        }
        Map<String, Feature> feats = new LinkedHashMap<>();
        for (Feature f : options.features()) {
            if (Feature.DEFAULT_COLUMNS.contains(f.name())) {
                throw new InvalidInputException("writer options", "features", "user features (the default columns are added)", f.name());
            }
            if (feats.put(f.name(), f) != null) {
                throw new InvalidInputException("writer options", "features", "distinct names", f.name() + " twice");
            }
        }
        feats.put("timestamp", Feature.of("timestamp", "float32", 1));
        for (String c : List.of("frame_index", "episode_index", "index", "task_index")) {
            feats.put(c, Feature.of(c, "int64", 1));
        }
        boolean hasVideo = feats.values().stream().anyMatch(Feature::isVideo);
        DatasetInfo info = new DatasetInfo(FormatVersion.V3_0, options.robotType(), options.fps(), 0, 0, 0,
                DatasetInfo.CHUNKS_SIZE, options.dataFilesSizeInMb(), DatasetInfo.VIDEO_FILES_SIZE_IN_MB,
                DatasetInfo.V3_DATA_PATH, hasVideo ? DatasetInfo.V3_VIDEO_PATH : null, feats, Json.object());
        try {
            Files.createDirectories(dir.resolve("meta"));
        } catch (IOException e) {
            throw new KibanException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        LeRobotDatasetWriter w = new LeRobotDatasetWriter(dir, info, List.of(), List.of(), options.rewriteLimitMb());
        w.writeMeta(true);
        return w;
    }

    /**
     * Continues a v3.0 dataset written by Kiban: drops an uncommitted trailing episode left by a crash,
     * rebuilds the running stats in one pass over the data, and appends after the last episode.
     */
    public static LeRobotDatasetWriter resume(Path dir) {
        return resume(dir, DEFAULT_REWRITE_LIMIT_MB);
    }

    /** {@link #resume(Path)} with a rewrite limit (MB) other than the default. */
    public static LeRobotDatasetWriter resume(Path dir, int rewriteLimitMb) {
        LeRobotDataset ds = LeRobotDataset.open(dir);
        if (ds.version() != FormatVersion.V3_0) {
            throw new InvalidInputException(dir.toString(), "codebase_version", "v3.0 to resume (convert it first)", ds.version().text());
        }
        List<String> tasks = ds.tasks().subList(0, Math.min(ds.tasks().size(), ds.info().totalTasks()));
        LeRobotDatasetWriter w = new LeRobotDatasetWriter(dir, ds.info(), tasks, ds.episodes(), rewriteLimitMb);
        w.truncateUncommitted(ds);
        ds.forEachFile(new java.util.LinkedHashSet<>(w.statsColumns()), t -> {
            for (int i = 0; i < t.rows(); i++) {
                w.accumulate(t, i);
            }
        });
        w.writeMeta(true);
        return w;
    }

    public Path root() {
        return root;
    }

    public DatasetInfo info() {
        return info;
    }

    /** Recorded parquet features (without the default columns), in column order. */
    public List<Feature> features() {
        return recorded;
    }

    /** Video features, whose frames go to mp4 files. */
    public List<Feature> videoFeatures() {
        return videos.features();
    }

    public int episodeCount() {
        return episodes.size();
    }

    /** Frames buffered for the episode in progress. */
    public int pendingFrames() {
        return buffer.frames();
    }

    /**
     * Adds one frame: a value for every recorded feature (float[]/double[]/long[]/int[]/boolean[] of
     * the feature's size, or a Number/Boolean for size 1). timestamp, frame_index, episode_index,
     * index and task_index are filled in. A video feature takes an {@link RgbFrame} or a
     * {@code byte[]} of height x width x 3 RGB bytes.
     */
    public void addFrame(Map<String, ?> values) {
        ensureOpen();
        if (videos.features().isEmpty()) {
            buffer.add(values);
            return;
        }
        // Every value is checked before anything is buffered or encoded, so a bad frame leaves no trace.
        List<RgbFrame> frames = videos.frames(values, buffer.frames());
        Map<String, Object> rest = new LinkedHashMap<>(values);
        videos.features().forEach(v -> rest.remove(v.name()));
        buffer.add(rest);
        videos.encode(frames);
    }

    /** Drops the frames buffered for the episode in progress. */
    public void clearEpisode() {
        buffer.clear();
        videos.abort();
    }

    /** Writes the buffered frames as the next episode, with {@code task}; returns its metadata. */
    public EpisodeInfo saveEpisode(String task) {
        ensureOpen();
        int n = buffer.frames();
        if (n == 0) {
            throw new InvalidInputException("saveEpisode", "frames", "at least one frame", "none");
        }
        if (task == null || task.isBlank()) {
            throw new InvalidInputException("saveEpisode", "task", "a task description", String.valueOf(task));
        }
        int taskIndex = tasks.indexOf(task);
        if (taskIndex < 0) {
            tasks.add(task);
            taskIndex = tasks.size() - 1;
        }
        int ep = episodes.size();
        long from = episodes.isEmpty() ? 0 : episodes.get(ep - 1).to();
        Map<String, Column> cols = buffer.columns();
        float[] ts = new float[n];
        long[] fi = new long[n];
        long[] ei = new long[n];
        long[] gi = new long[n];
        long[] ti = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = (float) ((double) i / info.fps());
            fi[i] = i;
            ei[i] = ep;
            gi[i] = from + i;
            ti[i] = taskIndex;
        }
        cols.put("timestamp", new FloatColumn(ts, 1, false));
        cols.put("frame_index", LongColumn.scalar(fi));
        cols.put("episode_index", LongColumn.scalar(ei));
        cols.put("index", LongColumn.scalar(gi));
        cols.put("task_index", LongColumn.scalar(ti));
        Table t = Table.of(cols);

        Map<String, FeatureStats> epStats = new LinkedHashMap<>();
        for (String c : statsColumns()) {
            RunningStats rs = new RunningStats(t.column(c).width());
            feed(rs, t.column(c));
            epStats.put(c, rs.toFeatureStats());
        }
        Map<String, EpisodeInfo.VideoSpan> spans = videos.commit(n, episodes.isEmpty() ? null : episodes.get(episodes.size() - 1));
        writeData(t);
        for (int i = 0; i < n; i++) {
            accumulate(t, i);
        }
        EpisodeInfo e = new EpisodeInfo(ep, List.of(task), n, from, from + n, chunk, file, spans, epStats);
        episodes.add(e);
        buffer.clear();
        writeMeta(false);
        return e;
    }

    /** Finishes the dataset; a buffered, unsaved episode is discarded. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        videos.abort();
        try {
            if (file >= 0) {
                compact(dataPath(chunk, file));
            }
            lock.release();
            lockChannel.close();
            clearStaging();
            Files.deleteIfExists(staging.resolve("lock"));
            Files.deleteIfExists(staging);
        } catch (IOException e) {
            throw new KibanException("cannot close " + root + ": " + e.getMessage(), e);
        }
    }

    /** Same as {@link #close()}. */
    public void finish() {
        close();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer for " + root + " is closed");
        }
    }

    private List<String> statsColumns() {
        return info.parquetFeatures().stream().filter(Feature::numeric).map(Feature::name).toList();
    }

    private void accumulate(Table t, int row) {
        for (String c : statsColumns()) {
            Column col = t.column(c);
            RunningStats rs = running.computeIfAbsent(c, k -> new RunningStats(col.width()));
            double[] v = new double[col.width()];
            for (int j = 0; j < v.length; j++) {
                v[j] = col.getDouble(row, j);
            }
            rs.add(v, 0);
        }
    }

    private static void feed(RunningStats rs, Column c) {
        double[] v = new double[c.width()];
        for (int i = 0; i < c.rows(); i++) {
            for (int j = 0; j < v.length; j++) {
                v[j] = c.getDouble(i, j);
            }
            rs.add(v, 0);
        }
    }

    private Path dataPath(int c, int f) {
        return root.resolve(DatasetInfo.format(DatasetInfo.V3_DATA_PATH, Map.of("chunk_index", c, "file_index", f)));
    }

    private void writeData(Table t) {
        Path episodeFile = AtomicFiles.tempFile(staging, "episode.parquet");
        try {
            ParquetTables.write(episodeFile, t, HfFeatures.metadata(info));
            Path current = file < 0 ? null : dataPath(chunk, file);
            long size = current == null ? Long.MAX_VALUE : sizeOf(current);
            if (current != null && size + sizeOf(episodeFile) <= capBytes) {
                AtomicFiles.replace(current, staging,
                        tmp -> ParquetTables.concatFiles(tmp, List.of(current, episodeFile), HfFeatures.metadata(info)));
            } else {
                if (current != null) {
                    compact(current);
                }
                if (file < 0) {
                    chunk = 0;
                    file = 0;
                } else if (++file >= info.chunksSize()) {
                    file = 0;
                    chunk++;
                }
                AtomicFiles.commit(episodeFile, dataPath(chunk, file));
            }
        } finally {
            try {
                Files.deleteIfExists(episodeFile);
            } catch (IOException ignored) {
                // Staging leftovers are cleared on the next open.
            }
        }
    }

    /**
     * Re-encodes a finished data file as one row group (appending left one per episode), which
     * reads about a third faster; the rows are unchanged and the replacement is atomic.
     */
    private void compact(Path dataFile) {
        Table t = ParquetTables.read(dataFile);
        AtomicFiles.replace(dataFile, staging, tmp -> ParquetTables.write(tmp, t, HfFeatures.metadata(info)));
    }

    private void writeMeta(boolean all) {
        Path epFile = root.resolve(MetaFiles.EPISODES_FILE);
        AtomicFiles.replace(epFile, staging, tmp -> ParquetTables.write(tmp, MetaFiles.episodesTable(episodes, info), Map.of()));
        if (all || tasks.size() != info.totalTasks()) {
            AtomicFiles.replace(root.resolve("meta/tasks.parquet"), staging,
                    tmp -> ParquetTables.write(tmp, MetaFiles.tasksTable(tasks), MetaFiles.tasksMetadata()));
        }
        Map<String, FeatureStats> stats = new LinkedHashMap<>();
        running.forEach((k, v) -> stats.put(k, v.toFeatureStats()));
        AtomicFiles.writeString(root.resolve("meta/stats.json"), Json.pretty(StatsJson.write(stats)), staging);
        long frames = episodes.isEmpty() ? 0 : episodes.get(episodes.size() - 1).to();
        info = info.withTotals(episodes.size(), frames, tasks.size());
        AtomicFiles.writeString(root.resolve("meta/info.json"), Json.pretty(info.toV3Json()), staging);
    }

    private void truncateUncommitted(LeRobotDataset ds) {
        videos.truncate(episodes.isEmpty() ? null : episodes.get(episodes.size() - 1));
        if (episodes.isEmpty()) {
            for (Path p : MetaFiles.listParquet(root.resolve("data"))) {
                deleteQuietly(p);
            }
            return;
        }
        long end = episodes.get(episodes.size() - 1).to();
        Path last = dataPath(chunk, file);
        if (ParquetTables.rowCount(last) > ds.episodes().stream().filter(e -> e.dataChunk() == chunk && e.dataFile() == file)
                .mapToLong(EpisodeInfo::length).sum()) {
            Table t = ParquetTables.read(last);
            LongColumn idx = t.longs("index");
            int keep = 0;
            while (keep < t.rows() && idx.get(keep) < end) {
                keep++;
            }
            Table kept = t.slice(0, keep);
            AtomicFiles.replace(last, staging, tmp -> ParquetTables.write(tmp, kept, HfFeatures.metadata(info)));
        }
        // Files after the last committed one can only be an uncommitted episode's new file.
        for (Path p : MetaFiles.listParquet(root.resolve("data"))) {
            if (p.compareTo(last) > 0) {
                deleteQuietly(p);
            }
        }
    }

    private void clearStaging() throws IOException {
        if (!Files.isDirectory(staging)) {
            return;
        }
        try (var s = Files.list(staging)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().startsWith("tmp-")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new KibanException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new KibanException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new KibanException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
