package kiban.policy.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.policy.ImageSpec;
import kiban.core.normalize.FeatureStats;
import kiban.core.progress.Progress;
import kiban.data.cache.FrameCache;
import kiban.data.lerobot.DatasetHash;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.KibanMeta;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.table.FloatColumn;
import kiban.data.table.LongColumn;
import kiban.data.table.Table;

/**
 * Reads a LeRobot dataset's {@code observation.state} and {@code action} into memory for training,
 * with each frame's task (LeRobot's {@code task_index} into {@code meta/tasks}) as its instruction.
 * Datasets Kiban recorded carry typed features in {@code meta/kiban.json}; any other LeRobot
 * dataset trains too, its two vectors taken as one feature each with limits from its statistics.
 *
 * <p>Video features asked for ({@code observation.images.<camera>}) are read from kiban-data's
 * {@link FrameCache}: decoded through ffmpeg by the first run that reads them, memory-mapped by
 * every later one, and kept at their recorded size as bytes: {@code frames x height x width x 3}
 * bytes per camera (PushT: 96 x 96 x 3 = 27 KiB a frame, about 0.5 GB for 150 episodes).
 */
public final class DatasetEpisodes {

    public static final String OBSERVATION = "observation.state";
    public static final String ACTION = "action";
    /** LeRobot's per-frame index into {@code meta/tasks}: the frame's instruction. */
    public static final String TASK_INDEX = "task_index";

    private DatasetEpisodes() {}

    /** The dataset's episodes, split by episode into training and validation. */
    public static TrainingData load(Path dir, double validationFraction) {
        return load(dir, validationFraction, List.of());
    }

    /** As {@link #load(Path, double)}, with the frames of the video features {@code imageFeatures}. */
    public static TrainingData load(Path dir, double validationFraction, List<String> imageFeatures) {
        return load(dir, validationFraction, imageFeatures, Integer.MAX_VALUE);
    }

    /** As {@link #load(Path, double, List)}, reading the first {@code maxEpisodes} episodes only (a slice, as LeRobot's {@code episodes=}). */
    public static TrainingData load(Path dir, double validationFraction, List<String> imageFeatures, int maxEpisodes) {
        return load(dir, validationFraction, imageFeatures, maxEpisodes, FrameCache.defaultRoot());
    }

    /** As {@link #load(Path, double, List, int)}, with the frame caches under {@code cacheRoot}. */
    public static TrainingData load(Path dir, double validationFraction, List<String> imageFeatures, int maxEpisodes,
            Path cacheRoot) {
        LeRobotDataset dataset = LeRobotDataset.open(dir);
        List<ImageSpec> images = imageSpecs(dataset, imageFeatures);
        List<FrameCache> caches = new ArrayList<>();
        for (ImageSpec s : images) {
            try (Progress p = Progress.start("decode " + s.name() + " into the frame cache", "episodes",
                    dataset.episodes().size(), true)) {
                caches.add(FrameCache.open(dataset, s.name(), cacheRoot, p));
            }
        }
        List<FeatureSpec> observation;
        List<FeatureSpec> action;
        var meta = KibanMeta.read(dir);
        if (meta.isPresent()) {
            observation = meta.get().observation();
            action = meta.get().action();
        } else {
            observation = List.of(generic(dataset, OBSERVATION));
            action = List.of(generic(dataset, ACTION));
        }
        int obsDim = observation.stream().mapToInt(FeatureSpec::size).sum();
        int actDim = action.stream().mapToInt(FeatureSpec::size).sum();
        boolean tasks = dataset.parquetColumns().contains(TASK_INDEX);
        Set<String> columns = tasks ? Set.of(OBSERVATION, ACTION, TASK_INDEX) : Set.of(OBSERVATION, ACTION);
        List<Episode> episodes = new ArrayList<>();
        for (int e = 0; e < Math.min(maxEpisodes, dataset.episodes().size()); e++) {
            Table t = dataset.readEpisode(e, columns);
            double[][] obs = rows(t.floats(OBSERVATION), obsDim, dir, OBSERVATION);
            List<CameraFrames> frames = new ArrayList<>();
            for (FrameCache c : caches) {
                frames.add(frames(c, e, obs.length));
            }
            String[] instructions = tasks ? instructions(dataset, t.longs(TASK_INDEX), e)
                    : episodeTask(dataset, e, obs.length);
            episodes.add(new Episode(obs, rows(t.floats(ACTION), actDim, dir, ACTION), frames, instructions));
        }
        if (episodes.isEmpty()) {
            throw new KibanException(dir + ": the dataset has no episodes to train on");
        }
        return TrainingData.split(observation, action, images, episodes, validationFraction, dir.toString(), hash(dataset));
    }

    /** Each frame's task, by its {@code task_index} into the dataset's tasks. */
    private static String[] instructions(LeRobotDataset dataset, LongColumn index, int episode) {
        List<String> tasks = dataset.tasks();
        String[] out = new String[index.rows()];
        for (int i = 0; i < out.length; i++) {
            long k = index.get(i);
            if (k < 0 || k >= tasks.size()) {
                throw new KibanException(dataset.root() + ": episode " + episode + " frame " + i + " has task_index " + k
                        + ", but the dataset has " + tasks.size() + " tasks");
            }
            out[i] = tasks.get((int) k);
        }
        return out;
    }

    /** Without a task_index column: the episode's task where its metadata names exactly one, else none. */
    private static String[] episodeTask(LeRobotDataset dataset, int episode, int frames) {
        List<String> named = dataset.episode(episode).tasks();
        String[] out = new String[frames];
        java.util.Arrays.fill(out, named.size() == 1 ? named.getFirst() : "");
        return out;
    }

    private static List<ImageSpec> imageSpecs(LeRobotDataset dataset, List<String> names) {
        List<String> videos = dataset.info().videoFeatures().stream().map(Feature::name).toList();
        List<ImageSpec> out = new ArrayList<>();
        for (String n : names) {
            if (!videos.contains(n)) {
                throw new InvalidInputException("config", "image_features", dataset.root() + " has video features " + videos
                        + (videos.isEmpty() ? " (record with --video)" : ""), "\"" + n + "\"");
            }
            int[] hw = dataset.info().feature(n).frameSize();
            out.add(new ImageSpec(n, hw[0], hw[1], 3));
        }
        return out;
    }

    /** The episode's frames, left in the cache's mapping rather than copied onto the heap. */
    private static CameraFrames frames(FrameCache cache, int episode, int length) {
        if (cache.frames(episode) < length) {
            throw new KibanException(cache.file() + ": episode " + episode + " has " + length + " frames of data but "
                    + cache.frames(episode) + " of video");
        }
        return new CameraFrames.Cached(cache, episode, length);
    }

    private static double[][] rows(FloatColumn c, int dim, Path dir, String name) {
        if (c.width() != dim) {
            throw new KibanException(dir + ": " + name + " has " + c.width() + " elements per frame, but its features say " + dim);
        }
        double[][] out = new double[c.rows()][dim];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < dim; j++) {
                out[i][j] = c.get(i, j);
            }
        }
        return out;
    }

    /** A whole vector as one feature, its limits the recorded minimum and maximum. */
    private static FeatureSpec generic(LeRobotDataset dataset, String name) {
        Feature f = dataset.info().feature(name);
        Map<String, FeatureStats> stats = dataset.stats();
        FeatureStats s = stats.get(name);
        if (s == null) {
            throw new KibanException(dataset.root() + ": meta/stats.json has no statistics for " + name
                    + "; run 'kiban data stats' on it first");
        }
        List<Double> low = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            double lo = s.min()[i];
            double hi = s.max()[i];
            low.add(lo);
            high.add(hi > lo ? hi : lo + 1);
        }
        return new FeatureSpec(name.replace('.', '_'), "1", List.of(f.size()), List.of(), low, high, List.of());
    }

    /** The dataset's content hash (kiban-data's {@link DatasetHash#of}), so a run can tell whether it is fed the same data. */
    private static String hash(LeRobotDataset dataset) {
        return DatasetHash.of(dataset);
    }
}
