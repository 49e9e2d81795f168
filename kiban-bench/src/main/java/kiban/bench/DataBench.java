package kiban.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.error.KibanException;
import kiban.core.normalize.FeatureStats;
import kiban.core.normalize.Normalizer;
import kiban.core.progress.Progress;
import kiban.data.lerobot.EpisodeInfo;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.data.sample.BatchLoader;
import kiban.data.sample.DeltaTimestamps;
import kiban.data.sample.Sample;
import kiban.data.sample.WindowedSampler;
import kiban.data.table.Table;
import kiban.data.video.RgbFrame;
import kiban.policy.data.Batch;
import kiban.policy.data.ChunkWindows;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.FeatureCodec;
import kiban.policy.data.TrainingData;
import kiban.policy.model.Networks;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.TrainStep;

/**
 * Dataset throughput: writing and reading a state-only dataset and one with a camera video, a full
 * read of the state-only files beside DuckDB's scan of the same files, and the training feed's
 * rate in windowed, normalised batches beside the training step it feeds. The data is synthetic
 * (seeded) and written to a scratch directory that is deleted afterwards.
 */
public final class DataBench {

    /** Sizes of one run; see {@code kiban bench data --help}. */
    public record Options(int frames, int episodeLength, int stateDim, int actionDim, int videoFrames, int videoSize,
            double seconds, int batch, int workers, Path scratch) {}

    /**
     * Sizes of {@link #runVideo}: the image training feed ({@code crop} pixels of each side, 0: the
     * whole frame; colour {@code jitter}) in batches of {@code batch} beside a flow step on them.
     */
    public record VideoOptions(int videoFrames, int episodeLength, int videoSize, int stateDim, int actionDim, int crop,
            double jitter, double seconds, int batch, Path scratch) {}

    private static final int FPS = 10;
    private static final int OBS_STEPS = 2;
    private static final int HORIZON = 16;
    private static final String CAM = "observation.images.front";

    private final Options o;

    public DataBench(Options options) {
        this.o = options;
    }

    /** Figures in order; {@code progress} steps once per figure group. */
    public List<Measurement> run(Progress progress) {
        List<Measurement> out = new ArrayList<>();
        Path root;
        try {
            Files.createDirectories(o.scratch());
            root = Files.createTempDirectory(o.scratch(), "kiban-bench-data-");
        } catch (IOException e) {
            throw new KibanException("cannot create a scratch directory in " + o.scratch() + ": " + e.getMessage(), e);
        }
        try {
            Path state = root.resolve("state");
            out.add(writeState(state));
            progress.step(1);
            // The training figures come before DuckDB and ffmpeg have run in this process.
            out.addAll(feed(state));
            progress.step(1);
            out.add(readKiban(state));
            out.add(readDuckDb(state));
            progress.step(1);
            Path video = root.resolve("video");
            out.add(writeVideo(video));
            out.addAll(readVideo(video));
            progress.step(1);
        } finally {
            deleteTree(root);
        }
        return out;
    }

    /**
     * The image training pipeline on a scratch video dataset: ffmpeg's direct decode, the frame
     * cache's first build and its reuse, cached frames into augmented training batches on the
     * prefetch workers, and the flow image policy's training step those batches feed.
     */
    public static List<Measurement> runVideo(VideoOptions o, Progress progress) {
        return new VideoFeed(o).run(progress);
    }

    private static float value(SplittableRandom r, int k, int j) {
        return (float) (Math.sin(0.01 * k + j) + 0.1 * r.nextGaussian());
    }

    private Measurement writeState(Path dir) {
        List<Feature> features = List.of(Feature.of("observation.state", "float32", o.stateDim()),
                Feature.of("action", "float32", o.actionDim()), Feature.of("next.reward", "float32", 1),
                Feature.of("next.done", "bool", 1));
        SplittableRandom r = new SplittableRandom(1);
        long start = System.nanoTime();
        int episodes = 0;
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(FPS, "bench", features))) {
            Map<String, Object> frame = new LinkedHashMap<>();
            for (int done = 0; done < o.frames(); episodes++) {
                int len = Math.min(o.episodeLength(), o.frames() - done);
                for (int k = 0; k < len; k++) {
                    float[] s = new float[o.stateDim()];
                    float[] a = new float[o.actionDim()];
                    for (int j = 0; j < s.length; j++) {
                        s[j] = value(r, k, j);
                    }
                    for (int j = 0; j < a.length; j++) {
                        a[j] = value(r, k + 1, j);
                    }
                    frame.put("observation.state", s);
                    frame.put("action", a);
                    frame.put("next.reward", (float) k / len);
                    frame.put("next.done", k == len - 1);
                    w.addFrame(frame);
                }
                w.saveEpisode("bench task");
                done += len;
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        return new Measurement("data write", "state-only (" + o.stateDim() + "+" + o.actionDim() + " floats), " + episodes + " episodes",
                o.frames() / s, "frames/s", o.frames(), s);
    }

    private Measurement readKiban(Path dir) {
        double best = Double.MAX_VALUE;
        long rows = 0;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            LeRobotDataset ds = LeRobotDataset.open(dir);
            Table t = ds.readAll(new LinkedHashSet<>(ds.parquetColumns()));
            rows = t.rows();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return new Measurement("data read", "kiban readAll, every column, best of 3", rows / best, "frames/s", rows, best);
    }

    /** DuckDB reads every column of every data file (summing them so that nothing is skipped). */
    private Measurement readDuckDb(Path dir) {
        String glob = dir.resolve("data").toString() + "/*/*.parquet";
        String sql = "SELECT count(*), sum(list_sum(\"observation.state\")), sum(list_sum(action)), sum(\"next.reward\"), "
                + "sum(\"next.done\"::INT), sum(timestamp), sum(frame_index), sum(episode_index), sum(\"index\"), sum(task_index) "
                + "FROM read_parquet('" + glob.replace("'", "''") + "')";
        double best = Double.MAX_VALUE;
        long rows = 0;
        String version = "?";
        int threads = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            try (ResultSet v = st.executeQuery("SELECT version(), current_setting('threads')")) {
                v.next();
                version = v.getString(1);
                threads = v.getInt(2);
            }
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
        } catch (SQLException e) {
            throw new KibanException("DuckDB could not scan " + glob + ": " + e.getMessage(), e);
        }
        return new Measurement("data read", "duckdb " + version + " read_parquet, every column, " + threads + " threads, best of 3",
                rows / best, "frames/s", rows, best);
    }

    /** A bar moving over a gradient, different per episode and frame, so the h264 stream is not trivially small. */
    static RgbFrame frame(int size, int episode, int k) {
        byte[] rgb = new byte[size * size * 3];
        int bar = (episode * 7 + k * 3) % size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = (y * size + x) * 3;
                boolean on = Math.abs(x - bar) < size / 12;
                rgb[i] = (byte) (on ? 220 : 2 * x);
                rgb[i + 1] = (byte) (on ? 220 : 2 * y);
                rgb[i + 2] = (byte) (40 + 10 * episode);
            }
        }
        return new RgbFrame(size, size, rgb);
    }

    private Measurement writeVideo(Path dir) {
        int size = o.videoSize();
        List<Feature> features = List.of(Feature.of("observation.state", "float32", o.stateDim()),
                Feature.of("action", "float32", o.actionDim()), Feature.video(CAM, size, size, FPS));
        int len = Math.min(o.episodeLength(), 200);
        // Frames are made before the clock starts: the figure is the writer's, not the pattern's.
        List<List<RgbFrame>> frames = new ArrayList<>();
        for (int done = 0, e = 0; done < o.videoFrames(); e++) {
            int n = Math.min(len, o.videoFrames() - done);
            List<RgbFrame> ep = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                ep.add(frame(size, e, k));
            }
            frames.add(ep);
            done += n;
        }
        long start = System.nanoTime();
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(FPS, "bench", features))) {
            Map<String, Object> frame = new LinkedHashMap<>();
            for (List<RgbFrame> ep : frames) {
                for (int k = 0; k < ep.size(); k++) {
                    frame.put("observation.state", new float[o.stateDim()]);
                    frame.put("action", new float[o.actionDim()]);
                    frame.put(CAM, ep.get(k));
                    w.addFrame(frame);
                }
                w.saveEpisode("bench task");
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        return new Measurement("data write", "with video " + size + "x" + size + " h264 (ffmpeg), " + frames.size() + " episodes",
                o.videoFrames() / s, "frames/s", o.videoFrames(), s);
    }

    private List<Measurement> readVideo(Path dir) {
        LeRobotDataset ds = LeRobotDataset.open(dir);
        long start = System.nanoTime();
        long n = 0;
        for (EpisodeInfo e : ds.episodes()) {
            Table t = ds.readEpisode(e.index());
            n += ds.videoFrames(CAM, e.index(), 0, (int) e.length()).size();
            if (t.rows() != e.length()) {
                throw new IllegalStateException("episode " + e.index() + " rows");
            }
        }
        double seq = (System.nanoTime() - start) / 1e9;
        Measurement sequential = new Measurement("data read", "with video, whole episodes (one decode per episode)", n / seq,
                "frames/s", n, seq);
        SplittableRandom r = new SplittableRandom(2);
        long deadline = System.nanoTime() + (long) (Math.min(o.seconds(), 5) * 1e9);
        start = System.nanoTime();
        long k = 0;
        while (System.nanoTime() < deadline) {
            EpisodeInfo e = ds.episodes().get(r.nextInt(ds.episodes().size()));
            ds.videoFrame(CAM, e.index(), r.nextInt((int) e.length()));
            k++;
        }
        double rnd = (System.nanoTime() - start) / 1e9;
        return List.of(sequential, new Measurement("data read", "with video, random frames (one decode each)", k / rnd, "frames/s",
                k, rnd));
    }

    /** The training feed in batches of {@code batch}, then one training step on batches of that shape. */
    private List<Measurement> feed(Path dir) {
        TrainingData data = DatasetEpisodes.load(dir, 0.0);
        LeRobotDataset ds = LeRobotDataset.open(dir);
        Map<String, FeatureStats> stats = new LinkedHashMap<>();
        stats.put(FeatureCodec.observationKey(data.observation().getFirst()), ds.stats().get("observation.state"));
        stats.put(FeatureCodec.actionKey(data.action().getFirst()), ds.stats().get("action"));
        TrainConfig base = TrainConfig.defaults();
        FeatureCodec codec = new FeatureCodec(data.observation(), data.action(), Normalizer.of(base.normalization(), stats));
        List<Measurement> out = new ArrayList<>();

        int inputs;
        int outputs;
        Batch b;
        try (ChunkWindows windows = new ChunkWindows(data.train(), codec, OBS_STEPS, HORIZON, 0)) {
            long start = System.nanoTime();
            long deadline = start + (long) (o.seconds() * 1e9);
            long batches = 0;
            while (System.nanoTime() < deadline) {
                windows.next(o.batch());
                batches++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            out.add(new Measurement("sampler", "training feed (ChunkWindows on kiban-data's Prefetcher, " + ChunkWindows.WORKERS
                    + " workers, normalised), batch " + o.batch(), batches / s, "batches/s", batches, s));
            inputs = windows.observationInputs();
            outputs = windows.chunkOutputs();
            b = windows.next(o.batch());
        }

        out.add(loaderFeed(ds, codec));

        TrainConfig config = base.with(c -> c.put("policy", "mlp").put("steps", 1_000_000).put("batch", o.batch())
                .put("learning_rate", 1e-4).put("warmup_steps", 0).put("observation_steps", OBS_STEPS).put("horizon", HORIZON)
                .put("validation_fraction", 0));
        try (TrainStep step = new TrainStep(Networks.create(config, inputs, outputs), config, inputs, outputs)) {
            step.start();
            long k = 0;
            for (; k < 20; k++) {
                step.run(b, 1e-4, k);
            }
            long start = System.nanoTime();
            long deadline = start + (long) (o.seconds() * 1e9);
            long steps = 0;
            while (System.nanoTime() < deadline) {
                step.run(b, 1e-4, k++);
                steps++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            out.add(new Measurement("train step", "mlp, batch " + o.batch() + ", " + inputs + " inputs, " + outputs + " outputs",
                    steps / s, "steps/s", steps, s));
        }
        return out;
    }

    /** kiban-data's windows and loader, each batch then encoded by the policy's codec as the training feed does. */
    private Measurement loaderFeed(LeRobotDataset ds, FeatureCodec codec) {
        int[] obsOffsets = DeltaTimestamps.range(-(OBS_STEPS - 1), OBS_STEPS);
        Map<String, int[]> offsets = new LinkedHashMap<>();
        offsets.put("observation.state", obsOffsets);
        offsets.put("action", DeltaTimestamps.range(0, HORIZON));
        WindowedSampler sampler = new WindowedSampler(ds, DeltaTimestamps.ofFrames(offsets));
        int d = o.stateDim();
        int a = o.actionDim();
        int enc = codec.encodedObservationDim();
        long start = System.nanoTime();
        long deadline = start + (long) (o.seconds() * 1e9);
        long batches = 0;
        try (BatchLoader loader = new BatchLoader(sampler, o.batch(), true, true, 0, o.workers(), 2 * o.workers())) {
            double[] obs = new double[d];
            double[] act = new double[a];
            outer:
            for (int epoch = 0; ; epoch++) {
                var it = loader.epoch(epoch);
                while (it.hasNext()) {
                    var batch = it.next();
                    float[] x = new float[batch.size() * OBS_STEPS * enc];
                    float[] y = new float[batch.size() * HORIZON * a];
                    float[] m = new float[y.length];
                    for (int i = 0; i < batch.size(); i++) {
                        Sample smp = batch.samples().get(i);
                        float[] so = smp.values().get("observation.state");
                        for (int t = 0; t < OBS_STEPS; t++) {
                            for (int j = 0; j < d; j++) {
                                obs[j] = so[t * d + j];
                            }
                            codec.encodeObservation(obs, x, (i * OBS_STEPS + t) * enc);
                        }
                        float[] sa = smp.values().get("action");
                        boolean[] pad = smp.padMasks().get("action");
                        for (int t = 0; t < HORIZON; t++) {
                            for (int j = 0; j < a; j++) {
                                act[j] = sa[t * a + j];
                                m[(i * HORIZON + t) * a + j] = pad[t] ? 0f : 1f;
                            }
                            codec.encodeAction(act, y, (i * HORIZON + t) * a);
                        }
                    }
                    batches++;
                    if (System.nanoTime() >= deadline) {
                        break outer;
                    }
                }
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        return new Measurement("sampler", "kiban-data BatchLoader of Samples (" + o.workers() + " workers) + FeatureCodec on the caller, batch "
                + o.batch(), batches / s, "batches/s", batches, s);
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new KibanException("cannot delete the scratch directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
