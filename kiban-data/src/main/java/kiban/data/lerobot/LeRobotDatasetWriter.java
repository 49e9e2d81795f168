package kiban.data.lerobot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.normalize.FeatureStats;
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
 * <p>Creating a dataset starts with the lock and a marker ({@link DatasetFolder}) and ends with
 * info.json: a kill before that leaves a folder that the next {@link #create} (or a resumed
 * recording) takes over, never one that is neither empty nor a dataset.
 *
 * <h2>Failed saves</h2>
 * A {@code saveEpisode} that fails (a full disk, ffmpeg failing) puts back every file it changed
 * ({@link FileChanges}) and keeps the episode's frames: the dataset is exactly as it was, and the
 * same call can be retried, the episode dropped ({@link #clearEpisode}) or the writer closed.
 * Should putting the files back fail too, the writer refuses further work; the dataset then holds
 * every committed episode and an uncommitted tail, as after a kill, and {@link #resume} continues it.
 *
 * <h2>File sizes</h2>
 * Appending an episode rewrites the current data file (a byte copy of its pages), so a file takes
 * episodes only until the next would push it past {@code min(data_files_size_in_mb, rewrite limit)}:
 * LeRobot's cap is 100 MB, Kiban's default rewrite limit {@value #DEFAULT_REWRITE_LIMIT_MB} MB, which
 * bounds the copy per episode (tens of milliseconds) at the price of more, smaller files than
 * LeRobot's recorder makes; both are valid v3.0. A file this writer appended to (the last one, on
 * close, and each one it fills) is re-encoded once as a single row group; a file of another schema
 * (one pyarrow wrote) is left as it is and the next episode starts a new file. The episode metadata
 * is one file, rewritten per episode (small: one row per episode).
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
    private final DatasetFiles files;
    private final StagingLock lock;
    private DatasetInfo info;
    private final List<Feature> recorded;
    private final EpisodeBuffer buffer;
    private List<String> tasks;
    private final List<EpisodeInfo> episodes;
    private Map<String, RunningStats> running = new LinkedHashMap<>();
    private final EpisodeVideos videos;
    private final EpisodeData data;
    private boolean closed;
    /** Why the writer refuses further work: a failed save whose files could not be put back. */
    private KibanException broken;

    private LeRobotDatasetWriter(Path root, DatasetInfo info, List<String> tasks, List<EpisodeInfo> episodes, Limits limits,
            StagingLock lock) {
        this.root = root;
        this.staging = root.resolve(STAGING);
        this.files = limits.files();
        this.lock = lock;
        this.info = info;
        this.recorded = info.parquetFeatures().stream().filter(f -> !Feature.DEFAULT_COLUMNS.contains(f.name())).toList();
        checkWritable(info);
        this.buffer = new EpisodeBuffer(recorded);
        this.tasks = List.copyOf(tasks);
        this.episodes = new ArrayList<>(episodes);
        this.videos = new EpisodeVideos(root, staging, info, limits.videoBytes(info));
        this.data = new EpisodeData(root, staging, files, info, limits.dataBytes(info), lastEpisode());
    }

    private static void checkWritable(DatasetInfo info) {
        for (Feature f : info.features().values()) {
            if (f.isImage() || f.dtype().equals("string")) {
                throw new InvalidInputException("features", f.name(), "float32, float64, int64, bool or video features (the writer "
                        + "does not embed images; record cameras as video)", f.dtype());
            }
            if (f.isVideo() && (f.shape().size() != 3 || f.shape().get(2) != 3)) {
                throw new InvalidInputException("features", f.name() + ".shape", "[height, width, 3] for a video", f.shape().toString());
            }
        }
    }

    /**
     * How the writer touches the disk and how large its files grow: the file operations (a seam
     * for tests that make one fail) and the rewrite limit; {@code capBytes > 0} overrides both
     * size caps (tests that need small files).
     */
    record Limits(DatasetFiles files, int rewriteLimitMb, long capBytes) {
        static Limits of(int rewriteLimitMb) {
            return new Limits(DatasetFiles.SYSTEM, rewriteLimitMb, 0);
        }

        long dataBytes(DatasetInfo info) {
            return capBytes > 0 ? capBytes : (long) Math.min(info.dataFilesSizeInMb(), rewriteLimitMb) * 1024 * 1024;
        }

        long videoBytes(DatasetInfo info) {
            return capBytes > 0 ? capBytes : (long) Math.min(info.videoFilesSizeInMb(), rewriteLimitMb) * 1024 * 1024;
        }
    }

    /**
     * Writer options: frames per second, robot type, the recorded features, the data file cap, and
     * extra files (such as meta/kiban.json) that appear with the new dataset's info.json.
     */
    public record Options(int fps, String robotType, List<Feature> features, int dataFilesSizeInMb, int rewriteLimitMb,
            boolean force, Map<String, String> metaFiles) {
        public Options {
            features = List.copyOf(features);
            metaFiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metaFiles));
            if (fps <= 0) {
                throw new InvalidInputException("writer options", "fps", "> 0", Integer.toString(fps));
            }
            if (dataFilesSizeInMb <= 0) {
                throw new InvalidInputException("writer options", "data_files_size_in_mb", "> 0", Integer.toString(dataFilesSizeInMb));
            }
            if (rewriteLimitMb <= 0) {
                throw new InvalidInputException("writer options", "rewrite_limit_mb", "> 0", Integer.toString(rewriteLimitMb));
            }
            for (String path : metaFiles.keySet()) {
                if (!path.matches("meta/[A-Za-z0-9_.-]+") || path.contains("..")
                        || List.of("meta/info.json", "meta/stats.json", "meta/tasks.parquet").contains(path)) {
                    throw new InvalidInputException("writer options", "meta files", "a file name under meta/ other than the "
                            + "dataset's own", path);
                }
            }
        }

        public Options(int fps, String robotType, List<Feature> features, int dataFilesSizeInMb, int rewriteLimitMb, boolean force) {
            this(fps, robotType, features, dataFilesSizeInMb, rewriteLimitMb, force, Map.of());
        }

        public static Options of(int fps, String robotType, List<Feature> features) {
            return new Options(fps, robotType, features, DatasetInfo.DATA_FILES_SIZE_IN_MB, DEFAULT_REWRITE_LIMIT_MB, false);
        }

        public Options withForce(boolean f) {
            return new Options(fps, robotType, features, dataFilesSizeInMb, rewriteLimitMb, f, metaFiles);
        }

        /** The format's data file cap, written to info.json. */
        public Options withDataFilesSizeInMb(int mb) {
            return new Options(fps, robotType, features, mb, rewriteLimitMb, force, metaFiles);
        }

        /** The largest data file rewritten to append an episode (see the class comment). */
        public Options withRewriteLimitMb(int mb) {
            return new Options(fps, robotType, features, dataFilesSizeInMb, mb, force, metaFiles);
        }

        /** A file (such as {@code meta/kiban.json}) written with the new dataset, before its info.json. */
        public Options withMetaFile(String path, String text) {
            Map<String, String> m = new LinkedHashMap<>(metaFiles);
            m.put(path, text);
            return new Options(fps, robotType, features, dataFilesSizeInMb, rewriteLimitMb, force, m);
        }
    }

    /**
     * Starts a new dataset in {@code dir}. An existing non-empty directory is an error unless
     * {@code force}, which replaces it only if it holds a LeRobot dataset (meta/info.json). A folder
     * left by a writer killed while creating a dataset counts as empty.
     */
    public static LeRobotDatasetWriter create(Path dir, Options options) {
        return create(dir, options, Limits.of(options.rewriteLimitMb()));
    }

    static LeRobotDatasetWriter create(Path dir, Options options, Limits limits) {
        DatasetInfo info = newInfo(options);
        checkWritable(info);
        // Refused before anything (the lock) is written into a folder that is not ours.
        DatasetFolder.check(dir, DatasetFolder.classify(dir), options.force());
        limits.files().createDirectories(dir);
        StagingLock lock = StagingLock.acquire(dir, limits.files());
        try {
            DatasetFolder.prepare(dir, options.force(), limits.files());
            LeRobotDatasetWriter w = new LeRobotDatasetWriter(dir, info, List.of(), List.of(), limits, lock);
            FileChanges changes = new FileChanges(limits.files(), w.staging);
            options.metaFiles().forEach((path, text) -> changes.replaceText(dir.resolve(path), text));
            w.info = w.writeMeta(changes, List.of(), List.of(), true, Map.of());
            changes.forget();
            DatasetFolder.finish(dir, limits.files());
            return w;
        } catch (RuntimeException | Error e) {
            lock.release();
            throw e;
        }
    }

    private static DatasetInfo newInfo(Options options) {
        Map<String, Feature> feats = new LinkedHashMap<>();
        for (Feature f : options.features()) {
            if (Feature.DEFAULT_COLUMNS.contains(f.name())) {
                throw new InvalidInputException("writer options", "features", "user features (the default columns are added)", f.name());
            }
            if (feats.put(f.name(), f) != null) {
                throw new InvalidInputException("writer options", "features", "distinct names", f.name() + " twice");
            }
            if (f.isVideo()) {
                PathTemplates.checkFolderName(f.name(), "writer options", "features." + f.name());
            }
        }
        feats.put("timestamp", Feature.of("timestamp", "float32", 1));
        for (String c : List.of("frame_index", "episode_index", "index", "task_index")) {
            feats.put(c, Feature.of(c, "int64", 1));
        }
        boolean hasVideo = feats.values().stream().anyMatch(Feature::isVideo);
        return new DatasetInfo(FormatVersion.V3_0, options.robotType(), options.fps(), 0, 0, 0,
                DatasetInfo.CHUNKS_SIZE, options.dataFilesSizeInMb(), DatasetInfo.VIDEO_FILES_SIZE_IN_MB,
                DatasetInfo.V3_DATA_PATH, hasVideo ? DatasetInfo.V3_VIDEO_PATH : null, feats, Json.object());
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
        return resume(dir, Limits.of(rewriteLimitMb));
    }

    static LeRobotDatasetWriter resume(Path dir, Limits limits) {
        if (DatasetFolder.classify(dir) != DatasetFolder.Contents.DATASET) {
            // Not a dataset: open names what is wrong, before the lock creates anything in the folder.
            LeRobotDataset.open(dir);
        }
        StagingLock lock = StagingLock.acquire(dir, limits.files());
        try {
            LeRobotDataset ds = LeRobotDataset.open(dir);
            if (ds.version() != FormatVersion.V3_0) {
                throw new InvalidInputException(dir.toString(), "codebase_version", "v3.0 to resume (convert it first)",
                        ds.version().text());
            }
            List<String> tasks = ds.tasks().subList(0, Math.min(ds.tasks().size(), ds.info().totalTasks()));
            LeRobotDatasetWriter w = new LeRobotDatasetWriter(dir, ds.info(), tasks, ds.episodes(), limits, lock);
            FileChanges changes = new FileChanges(limits.files(), w.staging);
            w.videos.truncate(changes, w.files, w.lastEpisode());
            w.data.truncate(changes, ds, w.lastEpisode());
            ds.forEachFile(new LinkedHashSet<>(w.statsColumns()), t -> accumulate(w.running, w.statsColumns(), t));
            w.info = w.writeMeta(changes, w.episodes, w.tasks, true, w.running);
            changes.forget();
            DatasetFolder.finish(dir, limits.files());
            return w;
        } catch (RuntimeException | Error e) {
            lock.release();
            throw e;
        }
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
        ensureUsable();
        if (videos.features().isEmpty()) {
            buffer.add(values);
            return;
        }
        if (videos.finished()) {
            throw new IllegalStateException("the episode in progress waits for saveEpisode to be retried (its save failed) "
                    + "or for clearEpisode; it takes no more frames");
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

    /**
     * Writes the buffered frames as the next episode, with {@code task}; returns its metadata. When
     * it fails, the dataset is as it was before the call and the frames are kept, so the call can
     * be retried (see the class comment).
     */
    public EpisodeInfo saveEpisode(String task) {
        ensureUsable();
        int n = buffer.frames();
        if (n == 0) {
            throw new InvalidInputException("saveEpisode", "frames", "at least one frame", "none");
        }
        if (task == null || task.isBlank()) {
            throw new InvalidInputException("saveEpisode", "task", "a task description", String.valueOf(task));
        }
        List<String> newTasks = new ArrayList<>(tasks);
        if (!newTasks.contains(task)) {
            newTasks.add(task);
        }
        int ep = episodes.size();
        EpisodeInfo last = lastEpisode();
        long from = last == null ? 0 : last.to();
        Table t = episodeTable(n, ep, from, newTasks.indexOf(task));
        Map<String, FeatureStats> epStats = new LinkedHashMap<>();
        Map<String, RunningStats> newRunning = new LinkedHashMap<>();
        for (String c : statsColumns()) {
            RunningStats rs = new RunningStats(t.column(c).width());
            feed(rs, t.column(c));
            epStats.put(c, rs.toFeatureStats());
            RunningStats all = running.containsKey(c) ? running.get(c).copy() : new RunningStats(t.column(c).width());
            feed(all, t.column(c));
            newRunning.put(c, all);
        }
        FileChanges changes = new FileChanges(files, staging);
        try {
            Map<String, EpisodeInfo.VideoSpan> spans = videos.append(changes, n, last);
            EpisodeData.Placement at = data.append(changes, t);
            EpisodeInfo e = new EpisodeInfo(ep, List.of(task), n, from, from + n, at.chunk(), at.file(), spans, epStats);
            List<EpisodeInfo> newEpisodes = new ArrayList<>(episodes);
            newEpisodes.add(e);
            DatasetInfo newInfo = writeMeta(changes, newEpisodes, newTasks, newTasks.size() != tasks.size(), newRunning);
            // info.json is in place: the episode is committed.
            info = newInfo;
            episodes.add(e);
            tasks = List.copyOf(newTasks);
            running = newRunning;
            data.committed(at);
            changes.forget();
            buffer.clear();
            videos.abort();
            return e;
        } catch (RuntimeException | Error failure) {
            throw rollBack(changes, failure, ep);
        }
    }

    /** Puts back what a failed save changed; the returned exception says whether the dataset is as it was. */
    private RuntimeException rollBack(FileChanges changes, Throwable failure, int ep) {
        try {
            changes.undo();
        } catch (RuntimeException | Error undo) {
            broken = new KibanException("cannot save episode " + ep + " of " + root + " (" + failure.getMessage() + "), nor put back "
                    + "the files it changed (" + undo.getMessage() + "); every committed episode is intact: close this writer and "
                    + "resume the dataset", failure);
            broken.addSuppressed(undo);
            return broken;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return new KibanException("cannot save episode " + ep + " of " + root + ": " + failure.getMessage() + "; the dataset is "
                + "as it was before it and the episode's frames are kept (saveEpisode again to retry, clearEpisode to drop them)",
                failure);
    }

    private Table episodeTable(int n, int ep, long from, int taskIndex) {
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
        return Table.of(cols);
    }

    /** Finishes the dataset; a buffered, unsaved episode is discarded. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        videos.abort();
        RuntimeException failure = null;
        if (broken == null) {
            FileChanges changes = new FileChanges(files, staging);
            try {
                data.compactCurrent(changes);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                changes.forget();
            }
        }
        lock.releaseAndClean();
        if (failure != null) {
            throw new KibanException("every episode of " + root + " is saved and the dataset is valid, but its last data file could "
                    + "not be re-encoded as one row group: " + failure.getMessage(), failure);
        }
    }

    /** Same as {@link #close()}. */
    public void finish() {
        close();
    }

    /** Stops without touching the files, as a killed process would: the lock is released, staging left as it is. */
    void abandon() {
        closed = true;
        videos.abort();
        lock.release();
    }

    private EpisodeInfo lastEpisode() {
        return episodes.isEmpty() ? null : episodes.get(episodes.size() - 1);
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("writer for " + root + " is closed");
        }
        if (broken != null) {
            throw new KibanException("writer for " + root + " stopped after a failed save: " + broken.getMessage(), broken);
        }
    }

    private List<String> statsColumns() {
        return info.parquetFeatures().stream().filter(Feature::numeric).map(Feature::name).toList();
    }

    private static void accumulate(Map<String, RunningStats> running, List<String> columns, Table t) {
        for (String c : columns) {
            Column col = t.column(c);
            feed(running.computeIfAbsent(c, k -> new RunningStats(col.width())), col);
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

    /** Writes the episode metadata, tasks (if {@code writeTasks}), stats.json and, last, info.json; returns the new info. */
    private DatasetInfo writeMeta(FileChanges changes, List<EpisodeInfo> eps, List<String> taskList, boolean writeTasks,
            Map<String, RunningStats> stats) {
        changes.replace(root.resolve(MetaFiles.EPISODES_FILE), tmp -> ParquetTables.write(tmp, MetaFiles.episodesTable(eps, info),
                Map.of()));
        if (writeTasks) {
            changes.replace(root.resolve("meta/tasks.parquet"),
                    tmp -> ParquetTables.write(tmp, MetaFiles.tasksTable(taskList), MetaFiles.tasksMetadata()));
        }
        Map<String, FeatureStats> out = new LinkedHashMap<>();
        stats.forEach((k, v) -> out.put(k, v.toFeatureStats()));
        String statsJson = Json.pretty(StatsJson.write(out));
        changes.replaceText(root.resolve("meta/stats.json"), statsJson);
        long frames = eps.isEmpty() ? 0 : eps.get(eps.size() - 1).to();
        DatasetInfo next = info.withTotals(eps.size(), frames, taskList.size());
        String infoJson = Json.pretty(next.toV3Json());
        changes.replaceText(root.resolve("meta/info.json"), infoJson);
        return next;
    }

    static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new KibanException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
