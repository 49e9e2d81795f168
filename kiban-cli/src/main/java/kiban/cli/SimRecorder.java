package kiban.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import kiban.core.error.KibanException;
import kiban.core.progress.Progress;
import kiban.core.embodiment.CameraSpec;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.ImageSpec;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.FrameRandomization;
import kiban.data.lerobot.KibanMeta;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.data.video.RgbFrame;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Expert;
import kiban.sim.env.Image;
import kiban.sim.env.Observation;
import kiban.sim.env.RenderRandomization;
import kiban.sim.env.StepResult;
import kiban.sim.env.TaskSchedule;

/**
 * Records episodes of a simulator as a LeRobot v3.0 dataset: {@code observation.state},
 * {@code action}, {@code next.reward}, {@code next.done} and {@code next.success} per frame, the
 * instruction of the env task it posed as each episode's task (for an env of one task, its
 * description). Episode {@code i} always uses seed {@code seed + i} and the schedule's task
 * {@code i}, so a resumed recording ends with exactly the dataset an uninterrupted one would have
 * made (given the same {@code --task}).
 * With video on, the env renders each of its cameras and each frame's picture from camera {@code <camera>}
 * becomes the LeRobot video feature {@code observation.images.<camera>}.
 */
final class SimRecorder {

    /** What a recording left; {@code stopped} when a stop request ended it before all episodes were recorded. */
    record Result(Path dir, int totalEpisodes, int recorded, long frames, int successes, double seconds,
            List<String> videoKeys, boolean stopped) {}

    private SimRecorder() {}

    static Result record(EnvProvider provider, Function<Env, Expert> policyFactory, int episodes, long seed, Path out,
            boolean resume, boolean force, boolean video, Progress progress) {
        return record(provider, policyFactory, episodes, seed, out, resume, force, video, 0, null, progress);
    }

    /**
     * Who moves the env while the expert only labels: DAgger (Ross et al., 2011). A learned policy
     * drives, so the data holds the states its own mistakes lead to, each labelled with what the
     * expert would do there.
     */
    interface Driver {
        /** Starts an episode of seed {@code seed} posing {@code task} of the env's. */
        void reset(long seed, EnvTask task);

        /** The action the env executes for this observation. */
        double[] act(Observation observation);
    }

    /**
     * As above; with {@code noise > 0} the env executes each action plus Gaussian noise of
     * {@code noise} times the element's half-range (clipped to its limits), while the dataset
     * keeps the clean action: DART (Laskey et al., 2017). The policy then sees the states a
     * slightly wrong policy reaches, labelled with the expert's correction from them. With a
     * {@code driver}, the env executes the driver's action (plus the noise) and the dataset the
     * expert's, which is asked every step so that it keeps following the episode.
     */
    static Result record(EnvProvider provider, Function<Env, Expert> policyFactory, int episodes, long seed, Path out,
            boolean resume, boolean force, boolean video, double noise, Driver driver, Progress progress) {
        return record(provider, policyFactory, episodes, seed, TaskSchedule.of(provider.spec(), null), out, resume, force, video,
                noise, driver, progress, () -> false);
    }

    /**
     * As above, episode {@code i} of the dataset posing the schedule's task {@code i} (its
     * instruction is the episode's LeRobot task), ending after the episode being written once
     * {@code stop} says so (Ctrl-C): the dataset then holds what was saved.
     */
    static Result record(EnvProvider provider, Function<Env, Expert> policyFactory, int episodes, long seed, TaskSchedule tasks,
            Path out, boolean resume, boolean force, boolean video, double noise, Driver driver, Progress progress,
            BooleanSupplier stop) {
        // A driving policy is one network, so its episodes are played one at a time.
        int players = driver == null ? Math.min(MAX_PLAYERS, Runtime.getRuntime().availableProcessors()) : 1;
        return record(provider, policyFactory, episodes, seed, tasks, out, resume, force, video, noise, driver, players, progress,
                stop);
    }

    /**
     * As above, with {@code players} envs playing episodes at once on as many threads while this
     * thread writes them in episode order; every episode depends on its seed alone, so the dataset
     * is the same for any number of players.
     */
    static Result record(EnvProvider provider, Function<Env, Expert> policyFactory, int episodes, long seed, Path out,
            boolean resume, boolean force, boolean video, double noise, Driver driver, int players, Progress progress) {
        return record(provider, policyFactory, episodes, seed, TaskSchedule.of(provider.spec(), null), out, resume, force, video,
                noise, driver, players, progress, () -> false);
    }

    private static Result record(EnvProvider provider, Function<Env, Expert> policyFactory, int episodes, long seed,
            TaskSchedule tasks, Path out, boolean resume, boolean force, boolean video, double noise, Driver driver, int players,
            Progress progress, BooleanSupplier stop) {
        long start = System.nanoTime();
        try (LeRobotDatasetWriter writer = open(provider, out, resume, force, video, seed);
                Players pool = new Players(provider, policyFactory, !writer.videoFeatures().isEmpty(), players)) {
            List<String> videoKeys = writer.videoFeatures().stream().map(Feature::name).toList();
            int done = writer.episodeCount();
            if (done > episodes) {
                throw new KibanException(out + " already holds " + done + " episodes, more than the " + episodes + " asked for");
            }
            // The episodes of an earlier run count toward the bar, not toward this run's rate and ETA.
            progress.begin(done);
            long frames = 0;
            int successes = 0;
            Deque<Future<Episode>> pending = new ArrayDeque<>();
            int submitted = done;
            int e = done;
            // A stop request (even one that came while the dataset was being created) ends the recording between
            // episodes, so the dataset closes with every episode saved so far and validates.
            for (; e < episodes && !stop.getAsBoolean(); e++) {
                // A few episodes ahead of the writer, so that memory stays bounded with video on.
                while (submitted < episodes && pending.size() < 2 * players) {
                    EnvTask task = tasks.forEpisode(submitted);
                    long episodeSeed = seed + submitted++;
                    pending.addLast(pool.play(p -> play(p.env(), p.expert(), driver, episodeSeed, task, noise, videoKeys)));
                }
                Episode episode = Players.await(pending.removeFirst());
                for (Map<String, Object> frame : episode.frames()) {
                    writer.addFrame(frame);
                }
                frames += episode.frames().size();
                successes += episode.success() ? 1 : 0;
                writer.saveEpisode(tasks.forEpisode(e).instruction());
                progress.step(1);
            }
            writer.finish();
            return new Result(out, e, e - done, frames, successes, (System.nanoTime() - start) / 1e9, videoKeys, e < episodes);
        }
    }

    /**
     * How the envs {@code provider} creates randomise their camera pictures, as the dataset's
     * metadata records it; null where they are plain or no frames are recorded.
     */
    static FrameRandomization frameRandomization(EnvProvider provider, boolean video, long seed) {
        RenderRandomization render = provider.configure(EnvConfig.DEFAULT.withImages(true)).randomization().render();
        return !video || render.isNone() ? null : new FrameRandomization("render", render.settings(), seed);
    }

    /** Envs played on their own threads beyond this many wait for the writer anyway. */
    private static final int MAX_PLAYERS = 4;

    /** One episode's frames, in the order the writer takes them. */
    private record Episode(List<Map<String, Object>> frames, boolean success) {}

    private static Episode play(Env env, Expert policy, Driver driver, long episodeSeed, EnvTask task, double noise,
            List<String> videoKeys) {
        Observation obs = env.reset(episodeSeed, task);
        policy.reset(episodeSeed);
        if (driver != null) {
            driver.reset(episodeSeed, task);
        }
        // Seeded by the episode, so a resumed recording perturbs as an uninterrupted one.
        SplittableRandom perturb = new SplittableRandom(episodeSeed ^ NOISE_SALT);
        List<Map<String, Object>> frames = new ArrayList<>();
        while (true) {
            double[] action = policy.act(obs);
            double[] executed = driver == null ? action : driver.act(obs);
            double[] sent = noise > 0 ? perturbed(executed, env.spec().action(), noise, perturb) : executed;
            StepResult r = env.step(sent);
            if (sent != action) {
                policy.executed(sent);
            }
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("observation.state", obs.state());
            frame.put("action", action.clone()); // held until the writer takes it; a policy may reuse its array
            frame.put("next.reward", r.reward());
            frame.put("next.done", r.done());
            frame.put("next.success", env.success());
            for (String key : videoKeys) {
                Image image = obs.images().get(ImageSpec.cameraOf(key));
                frame.put(key, new RgbFrame(image.height(), image.width(), image.rgb()));
            }
            frames.add(frame);
            obs = r.observation();
            if (r.done()) {
                return new Episode(frames, env.success());
            }
        }
    }

    private static final long NOISE_SALT = 0x44415254L;

    static double[] perturbed(double[] action, List<FeatureSpec> features, double noise, SplittableRandom random) {
        double[] out = action.clone();
        int i = 0;
        for (FeatureSpec f : features) {
            for (int k = 0; k < f.size(); k++, i++) {
                double lo = f.low().get(k);
                double hi = f.high().get(k);
                double v = out[i] + noise * (hi - lo) / 2 * gaussian(random);
                out[i] = Math.max(lo, Math.min(hi, v));
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static LeRobotDatasetWriter open(EnvProvider provider, Path out, boolean resume, boolean force, boolean video,
            long seed) {
        if (resume && Files.isRegularFile(out.resolve("meta/info.json"))) {
            Optional<KibanMeta> meta = KibanMeta.read(out);
            String recorded = meta.map(KibanMeta::env).orElse("another source");
            if (!recorded.equals(provider.name())) {
                throw new KibanException(out + " was recorded from " + recorded + ", not " + provider.name()
                        + "; resume it with --env " + recorded);
            }
            LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(out);
            if (video && w.videoFeatures().isEmpty()) {
                w.close();
                throw new KibanException(out + " was recorded without video; resume it without --video or record a new dataset");
            }
            // The frames of one dataset are drawn one way: its metadata must stay true of every episode.
            Optional<FrameRandomization> before = meta.flatMap(KibanMeta::randomization);
            Optional<FrameRandomization> now = Optional.ofNullable(frameRandomization(provider, !w.videoFeatures().isEmpty(), seed));
            if (!before.equals(now)) {
                w.close();
                throw new KibanException(out + "'s frames are " + before.map(FrameRandomization::describe).orElse("plain")
                        + "; the episodes recorded now would be " + now.map(FrameRandomization::describe).orElse("plain")
                        + ": record them with the same --randomize and --seed as the dataset, or into a new dataset");
            }
            return w;
        }
        var spec = provider.spec();
        List<Feature> features = new ArrayList<>();
        features.add(Feature.vector("observation.state", KibanMeta.elementNames(spec.observation())));
        features.add(Feature.vector("action", KibanMeta.elementNames(spec.action())));
        features.add(Feature.of("next.reward", "float32", 1));
        features.add(Feature.of("next.done", "bool", 1));
        features.add(Feature.of("next.success", "bool", 1));
        int fps = (int) Math.round(spec.controlHz());
        if (Math.abs(fps - spec.controlHz()) > 1e-9) {
            throw new KibanException("env " + spec.name() + " runs at " + spec.controlHz()
                    + " Hz; LeRobot datasets need a whole number of frames per second");
        }
        if (video) {
            if (spec.cameras().isEmpty()) {
                throw new KibanException("env " + spec.name() + " has no camera to record as video; drop --video");
            }
            for (CameraSpec cam : spec.cameras()) {
                features.add(Feature.video(ImageSpec.PREFIX + cam.name(), cam.height(), cam.width(), fps));
            }
        }
        // kiban.json comes with info.json: a recording stopped at any moment is one that --resume knows.
        KibanMeta meta = new KibanMeta(spec.name(), spec.embodiment().name(), spec.observation(), spec.action(),
                frameRandomization(provider, video, seed));
        var options = LeRobotDatasetWriter.Options.of(fps, spec.embodiment().name(), features).withForce(force)
                .withMetaFile(KibanMeta.FILE, meta.json());
        return LeRobotDatasetWriter.create(out, options);
    }
}
