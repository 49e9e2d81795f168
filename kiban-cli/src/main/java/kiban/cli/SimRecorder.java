package kiban.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import kiban.core.error.KibanException;
import kiban.core.progress.Progress;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.KibanMeta;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;

/**
 * Records episodes of a simulator as a LeRobot v3.0 dataset: {@code observation.state},
 * {@code action}, {@code next.reward}, {@code next.done} and {@code next.success} per frame, the
 * env's description as each episode's task. Episode {@code i} always uses seed {@code seed + i},
 * so a resumed recording ends with exactly the dataset an uninterrupted one would have made.
 *
 * <p>With {@code noise > 0} the env executes the policy's action plus Gaussian noise (standard
 * deviation {@code noise} times each action element's range, clipped to the range) while the frame
 * keeps the clean action as its label, as DART does: the data then covers the states a learned
 * policy drifts into, labelled with how the expert recovers from them. The noise is drawn from the
 * episode's seed, so recordings stay reproducible.
 */
final class SimRecorder {

    /** What a recording left. */
    record Result(Path dir, int totalEpisodes, int recorded, long frames, int successes, double seconds) {}

    private SimRecorder() {}

    static Result record(EnvProvider provider, Function<Env, Expert> policyFactory, int episodes, long seed, Path out,
            boolean resume, boolean force, Progress progress) {
        return record(provider, policyFactory, episodes, seed, 0, out, resume, force, progress);
    }

    static Result record(EnvProvider provider, Function<Env, Expert> policyFactory, int episodes, long seed, double noise,
            Path out, boolean resume, boolean force, Progress progress) {
        long start = System.nanoTime();
        try (Env env = provider.create(EnvConfig.DEFAULT);
                LeRobotDatasetWriter writer = open(provider, out, resume, force)) {
            int done = writer.episodeCount();
            if (done > episodes) {
                throw new KibanException(out + " already holds " + done + " episodes, more than the " + episodes + " asked for");
            }
            progress.step(done);
            Expert policy = policyFactory.apply(env);
            String task = env.spec().description();
            double[] low = bounds(env.spec().action(), true);
            double[] high = bounds(env.spec().action(), false);
            long frames = 0;
            int successes = 0;
            for (int e = done; e < episodes; e++) {
                long episodeSeed = seed + e;
                Observation obs = env.reset(episodeSeed);
                policy.reset(episodeSeed);
                SplittableRandom rng = new SplittableRandom(episodeSeed ^ NOISE_STREAM);
                while (true) {
                    double[] action = policy.act(obs);
                    StepResult r = env.step(noise > 0 ? perturb(action, low, high, noise, rng) : action);
                    Map<String, Object> frame = new LinkedHashMap<>();
                    frame.put("observation.state", obs.state());
                    frame.put("action", action);
                    frame.put("next.reward", r.reward());
                    frame.put("next.done", r.done());
                    frame.put("next.success", env.success());
                    writer.addFrame(frame);
                    frames++;
                    obs = r.observation();
                    if (r.done()) {
                        break;
                    }
                }
                successes += env.success() ? 1 : 0;
                writer.saveEpisode(task);
                progress.step(1);
            }
            writer.finish();
            return new Result(out, episodes, episodes - done, frames, successes, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Keeps the noise stream apart from any other use of the episode seed. */
    private static final long NOISE_STREAM = 0x5DEECE66DL;

    private static double[] perturb(double[] action, double[] low, double[] high, double noise, SplittableRandom rng) {
        double[] out = action.clone();
        for (int i = 0; i < out.length; i++) {
            double span = high[i] - low[i];
            double v = out[i] + noise * span * gaussian(rng);
            out[i] = Double.isFinite(span) ? Math.max(low[i], Math.min(high[i], v)) : v;
        }
        return out;
    }

    /** A standard normal draw (Box-Muller), since SplittableRandom has none. */
    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    private static double[] bounds(List<kiban.core.embodiment.FeatureSpec> features, boolean low) {
        return features.stream().flatMap(f -> (low ? f.low() : f.high()).stream()).mapToDouble(Double::doubleValue).toArray();
    }

    private static LeRobotDatasetWriter open(EnvProvider provider, Path out, boolean resume, boolean force) {
        if (resume && Files.isRegularFile(out.resolve("meta/info.json"))) {
            String recorded = KibanMeta.read(out).map(KibanMeta::env).orElse("another source");
            if (!recorded.equals(provider.name())) {
                throw new KibanException(out + " was recorded from " + recorded + ", not " + provider.name()
                        + "; resume it with --env " + recorded);
            }
            return LeRobotDatasetWriter.resume(out);
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
        var options = LeRobotDatasetWriter.Options.of(fps, spec.embodiment().name(), features).withForce(force);
        LeRobotDatasetWriter writer = LeRobotDatasetWriter.create(out, options);
        new KibanMeta(spec.name(), spec.embodiment().name(), spec.observation(), spec.action()).write(out);
        return writer;
    }
}
