package kiban.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import kiban.core.error.KibanException;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.ImageSpec;
import kiban.core.progress.Progress;
import kiban.data.cache.FrameCache;
import kiban.data.lerobot.EpisodeInfo;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.data.video.RgbFrame;
import kiban.policy.data.Batch;
import kiban.policy.data.ChunkWindows;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.FeatureCodec;
import kiban.policy.data.TrainingData;
import kiban.policy.model.Networks;
import kiban.policy.model.ObservationLayout;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.PolicyTrainer;
import kiban.policy.train.TrainStep;

/**
 * {@code kiban bench data --video}: what feeds an image policy's training, on a seeded scratch
 * dataset of one camera. Direct decoding (ffmpeg per episode, what every run did before the
 * cache) against the {@link FrameCache} (built once, then mapped), and the cached frames turned
 * into augmented training batches by {@link ChunkWindows}' prefetch workers against the flow
 * image policy's training step on batches of the same shape.
 */
final class VideoFeed {

    private static final int FPS = 10;
    private static final String CAM = "observation.images.front";

    private final DataBench.VideoOptions o;

    VideoFeed(DataBench.VideoOptions options) {
        this.o = options;
    }

    List<Measurement> run(Progress progress) {
        Path root;
        try {
            Files.createDirectories(o.scratch());
            root = Files.createTempDirectory(o.scratch(), "kiban-bench-video-");
        } catch (IOException e) {
            throw new KibanException("cannot create a scratch directory in " + o.scratch() + ": " + e.getMessage(), e);
        }
        try {
            List<Measurement> out = new ArrayList<>();
            Path dir = root.resolve("dataset");
            Path cache = root.resolve("cache");
            write(dir);
            progress.step(1);
            LeRobotDataset ds = LeRobotDataset.open(dir);
            out.add(directDecode(ds));
            out.addAll(cache(ds, cache));
            progress.step(1);
            out.addAll(feedAndStep(dir, cache));
            progress.step(1);
            return out;
        } finally {
            deleteTree(root);
        }
    }

    private void write(Path dir) {
        int size = o.videoSize();
        List<Feature> features = List.of(Feature.of("observation.state", "float32", o.stateDim()),
                Feature.of("action", "float32", o.actionDim()), Feature.video(CAM, size, size, FPS));
        SplittableRandom r = new SplittableRandom(1);
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(FPS, "bench", features))) {
            Map<String, Object> frame = new LinkedHashMap<>();
            for (int done = 0, e = 0; done < o.videoFrames(); e++) {
                int n = Math.min(o.episodeLength(), o.videoFrames() - done);
                for (int k = 0; k < n; k++) {
                    float[] s = new float[o.stateDim()];
                    float[] a = new float[o.actionDim()];
                    for (int j = 0; j < s.length; j++) {
                        s[j] = (float) (Math.sin(0.05 * k + j) + 0.1 * r.nextGaussian());
                    }
                    for (int j = 0; j < a.length; j++) {
                        a[j] = (float) (Math.cos(0.05 * k + j) + 0.1 * r.nextGaussian());
                    }
                    frame.put("observation.state", s);
                    frame.put("action", a);
                    frame.put(CAM, DataBench.frame(size, e, k));
                    w.addFrame(frame);
                }
                w.saveEpisode("bench task");
                done += n;
            }
        }
    }

    private Measurement directDecode(LeRobotDataset ds) {
        long start = System.nanoTime();
        long n = 0;
        for (EpisodeInfo e : ds.episodes()) {
            n += ds.videoFrames(CAM, e.index(), 0, (int) e.length()).size();
        }
        double s = (System.nanoTime() - start) / 1e9;
        return new Measurement("video frames", "direct decode (ffmpeg, one pass per episode)", n / s, "frames/s", n, s);
    }

    private List<Measurement> cache(LeRobotDataset ds, Path root) {
        long start = System.nanoTime();
        FrameCache built = FrameCache.open(ds, CAM, root);
        double buildS = (System.nanoTime() - start) / 1e9;
        long frames = ds.totalFrames();
        start = System.nanoTime();
        FrameCache again = FrameCache.open(ds, CAM, root);
        byte[] px = new byte[again.frameBytes()];
        long sum = 0;
        for (int e = 0; e < again.episodes(); e++) {
            for (int k = 0; k < again.frames(e); k++) {
                again.copyFrame(e, k, px, 0);
                sum += px[k % px.length];
            }
        }
        double readS = (System.nanoTime() - start) / 1e9;
        if (!built.built() || again.built() || sum == Long.MIN_VALUE) {
            throw new IllegalStateException("the frame cache was not built once and then reused");
        }
        return List.of(new Measurement("video frames", "frame cache, first build (decode, write, rename)", frames / buildS,
                        "frames/s", frames, buildS),
                new Measurement("video frames", "frame cache, reopened (hash the videos, map, read every frame)", frames / readS,
                        "frames/s", frames, readS));
    }

    private List<Measurement> feedAndStep(Path dir, Path cacheRoot) {
        TrainConfig config = TrainConfig.defaults().with(c -> {
            c.put("policy", "flow").put("steps", 1_000_000).put("batch", o.batch()).put("warmup_steps", 0)
                    .put("validation_fraction", 0).put("image_jitter", o.jitter());
            c.putArray("image_features").add(CAM);
            if (o.crop() > 0) {
                c.putArray("image_crop").add(o.crop()).add(o.crop());
            }
        });
        TrainingData data = DatasetEpisodes.load(dir, 0.0, List.of(CAM), Integer.MAX_VALUE, cacheRoot);
        Normalizer normalizer = PolicyTrainer.fitNormalizer(config.normalization(), data);
        FeatureCodec codec = new FeatureCodec(data.observation(), data.action(), normalizer, config.stateFeatures());
        List<ImageSpec> inputs = config.imageAugmentation().inputs(data.images());
        String shape = inputs.getFirst().height() + "x" + inputs.getFirst().width() + " of " + o.videoSize() + "x" + o.videoSize()
                + ", jitter " + o.jitter() + ", batch " + o.batch();
        List<Measurement> out = new ArrayList<>();
        try (ChunkWindows windows = new ChunkWindows(data.train(), codec, data.images(), Optional.empty(),
                config.imageAugmentation(), config.observationSteps(), config.horizon(), config.seed())) {
            for (int i = 0; i < 3; i++) {
                windows.next(o.batch());
            }
            long start = System.nanoTime();
            long deadline = start + (long) (o.seconds() * 1e9);
            long batches = 0;
            while (System.nanoTime() < deadline) {
                windows.next(o.batch());
                batches++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            long frames = batches * o.batch() * config.observationSteps();
            out.add(new Measurement("image sampler", "cached frames into batches (" + ChunkWindows.WORKERS + " workers), crop "
                    + shape, frames / s, "frames/s", frames, s));
            Measurement sampler = new Measurement("image sampler", "the same, in batches", batches / s, "batches/s", batches, s);
            out.add(sampler);
            Batch sample = windows.next(o.batch());
            int outputs = windows.chunkOutputs();
            ObservationLayout layout = Networks.layout(config, codec.encodedObservationDim(), inputs);
            try (TrainStep step = new TrainStep(Networks.create(config, layout, outputs), config, windows.observationInputs(),
                    outputs)) {
                step.start();
                long k = 0;
                for (; k < 3; k++) {
                    step.run(sample, 1e-4, k);
                }
                Measurement fixed = steps(step, k, () -> sample,
                        "flow with its CNN image encoder, one batch again and again, crop " + shape);
                out.add(fixed);
                out.add(steps(step, k + fixed.operations(), () -> windows.next(o.batch()),
                        "the same, each step fed the sampler's next batch (as training runs)"));
                out.add(new Measurement("image sampler", "batches/s per training step/s (goal >= 10)",
                        sampler.value() / fixed.value(), "x", batches, s));
            }
        }
        return out;
    }

    /** Training steps per second over the measured seconds (at least 3 steps), each on {@code batch}'s batch. */
    private Measurement steps(TrainStep step, long first, java.util.function.Supplier<Batch> batch, String setting) {
        long start = System.nanoTime();
        long deadline = start + (long) (o.seconds() * 1e9);
        long steps = 0;
        while (System.nanoTime() < deadline || steps < 3) {
            step.run(batch.get(), 1e-4, first + steps);
            steps++;
        }
        double s = (System.nanoTime() - start) / 1e9;
        return new Measurement("train step", setting, steps / s, "steps/s", steps, s);
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
