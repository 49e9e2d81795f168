package kiban.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import kiban.core.embodiment.CameraSpec;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.KibanException;
import kiban.core.policy.ChunkExecutor;
import kiban.core.policy.EstimatesState;
import kiban.core.policy.GuidanceMask;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.progress.Progress;
import kiban.sim.env.Env;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Image;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import kiban.sim.env.TaskSchedule;
import kiban.sim.render.VideoWriter;
import kiban.sim.rollout.Rollouts;

/**
 * Runs a policy for episodes on seeds {@code firstSeed, firstSeed+1, ...}, executing its chunks
 * as Diffusion Policy's evaluation runner does or with ACT's temporal ensembling. A policy that
 * reads a camera ({@link kiban.core.policy.PolicyMetadata#images()}) is given the env's rendered
 * observation image, the same HWC RGB bytes {@code kiban data record --video} stores; the env
 * must then be created with images on.
 */
public final class Evaluator {

    /** Frame size of report animations: small enough to embed many in one HTML file. */
    public static final int ANIMATION_SIZE = 160;

    private final int recordedEpisodes;
    private final ChunkExecutor.Mode execution;
    private final OptionalInt actionSteps;
    private final int delaySteps;
    private final String heard;
    private final GuidanceMask mask;
    private final ObservationNoise noise;

    /** @param recordedEpisodes how many first episodes keep an action trace and an animation */
    public Evaluator(int recordedEpisodes) {
        this(recordedEpisodes, ChunkExecutor.Mode.CHUNKS);
    }

    public Evaluator(int recordedEpisodes, ChunkExecutor.Mode execution) {
        this(recordedEpisodes, execution, OptionalInt.empty());
    }

    /** @param actionSteps actions executed of each chunk instead of the policy's own {@code action_steps} */
    public Evaluator(int recordedEpisodes, ChunkExecutor.Mode execution, OptionalInt actionSteps) {
        this(recordedEpisodes, execution, actionSteps, 0);
    }

    /**
     * @param delaySteps control steps every chunk after an episode's first takes to infer, while
     *     the env goes on ({@link kiban.core.policy.ActionChunkBroker})
     */
    public Evaluator(int recordedEpisodes, ChunkExecutor.Mode execution, OptionalInt actionSteps, int delaySteps) {
        this(recordedEpisodes, execution, actionSteps, delaySteps, null, GuidanceMask.HARD, ObservationNoise.NONE);
    }

    private Evaluator(int recordedEpisodes, ChunkExecutor.Mode execution, OptionalInt actionSteps, int delaySteps, String heard,
            GuidanceMask mask, ObservationNoise noise) {
        this.recordedEpisodes = recordedEpisodes;
        this.execution = execution;
        this.actionSteps = actionSteps;
        this.delaySteps = delaySteps;
        this.heard = heard;
        this.mask = mask;
        this.noise = noise;
    }

    /**
     * This evaluator, giving the policy {@code instruction} with every observation instead of the
     * task's: how much a policy follows its instruction shows when it is given another task's.
     */
    public Evaluator withInstruction(String instruction) {
        return new Evaluator(recordedEpisodes, execution, actionSteps, delaySteps, instruction, mask, noise);
    }

    /** This evaluator, real-time chunking guided by the rows {@code mask} names ({@link ChunkExecutor.Mode#RTC} only). */
    public Evaluator withMask(GuidanceMask mask) {
        return new Evaluator(recordedEpisodes, execution, actionSteps, delaySteps, heard, mask, noise);
    }

    /**
     * This evaluator, the policy reading every observation with {@code noise} added (the env itself
     * is untouched): how precisely a policy needs its state, for one given an estimate of it.
     */
    public Evaluator withObservationNoise(ObservationNoise noise) {
        return new Evaluator(recordedEpisodes, execution, actionSteps, delaySteps, heard, mask, noise);
    }

    /** Evaluates {@code episodes} episodes of the env's first task; see the overload that takes a schedule. */
    public EvalResult evaluate(Env env, Policy policy, String policyName, int episodes, long firstSeed, Progress progress) {
        return evaluate(env, policy, policyName, episodes, firstSeed, TaskSchedule.of(env.spec(), null), progress);
    }

    /**
     * Evaluates episode {@code i} (seed {@code firstSeed + i}) on the schedule's task {@code i}.
     * Where the env poses several tasks, the policy is given the task's instruction with every
     * observation, as a client gives openpi's {@code prompt}.
     */
    public EvalResult evaluate(Env env, Policy policy, String policyName, int episodes, long firstSeed, TaskSchedule tasks,
            Progress progress) {
        checkCompatible(env, policy);
        boolean instructed = env.spec().instructs() || heard != null;
        List<ImageSpec> images = policy.metadata().images();
        checkCamera(env.spec(), images);
        double[] deviations = noise.perElement(env.spec().observation());
        ChunkExecutor broker = ChunkExecutor.of(policy, execution, actionSteps.orElse(policy.metadata().actionSteps()),
                delaySteps, mask);
        List<EpisodeRecord> records = new ArrayList<>(episodes);
        EstimatesState estimating = policy instanceof EstimatesState s ? s : null;
        List<EvalResult.StateReading> readings = new ArrayList<>();
        long start = System.nanoTime();
        for (int e = 0; e < episodes; e++) {
            long seed = firstSeed + e;
            boolean record = e < recordedEpisodes;
            int stride = Rollouts.frameStride(env.spec().maxSteps());
            EnvTask task = tasks.forEpisode(e);
            String instruction = heard != null ? heard : instructed ? task.instruction() : "";
            Observation obs = env.reset(seed, task);
            broker.reset();
            policy.seed(seed); // a sampling policy draws the same noise for the same episode every time
            ObservationNoise.Draw sensed = noise.isNone() ? null : new ObservationNoise.Draw(deviations, seed);
            List<double[]> actions = new ArrayList<>();
            List<Image> frames = new ArrayList<>();
            if (record) {
                frames.add(env.render(ANIMATION_SIZE, ANIMATION_SIZE));
            }
            double best = Double.NEGATIVE_INFINITY;
            double total = 0;
            while (true) {
                Observation read = sensed == null ? obs : new Observation(sensed.apply(obs.state()), obs.images());
                double[] before = estimating == null ? null : estimating.lastReading();
                double[] action = images.isEmpty() && !instructed ? broker.act(read.state())
                        : broker.act(observe(read, images, instruction));
                if (estimating != null && estimating.lastReading() != before) { // it answered for this step
                    readings.add(new EvalResult.StateReading(obs.state().clone(), estimating.lastReading()));
                }
                StepResult r = env.step(action);
                best = Math.max(best, r.reward());
                total += r.reward();
                obs = r.observation();
                if (record) {
                    actions.add(action);
                    if (env.elapsedSteps() % stride == 0 || r.done()) {
                        frames.add(env.render(ANIMATION_SIZE, ANIMATION_SIZE));
                    }
                }
                if (r.done()) {
                    break;
                }
            }
            records.add(new EpisodeRecord(seed, task.name(), env.success(), best, total, env.elapsedSteps(), env.episodeMetrics(),
                    record ? actions.toArray(double[][]::new) : null, record ? gif(frames, env.spec().controlHz() / stride) : null));
            progress.step(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9 / episodes;
        return new EvalResult(env.spec().name(), policyName, firstSeed, records, actionNames(env), seconds, readings);
    }

    private static void checkCompatible(Env env, Policy policy) {
        checkCompatible(env.spec(), policy.metadata(), "policy");
    }

    /**
     * Fails unless a policy ({@code role} names it in the message) reads and writes as many numbers
     * as the env's observation and action have.
     */
    public static void checkCompatible(EnvSpec env, PolicyMetadata m, String role) {
        if (m.observationDim() != env.observationDim() || m.actionDim() != env.actionDim()) {
            throw new KibanException("the " + role + " reads " + m.observationDim() + " observation and writes "
                    + m.actionDim() + " action elements, but env " + env.name() + " has "
                    + env.observationDim() + " and " + env.actionDim() + "; was it trained on this env?");
        }
    }

    /** An image policy reads some of the env's cameras, each at the size the env renders it. */
    public static void checkCamera(EnvSpec env, List<ImageSpec> images) {
        for (ImageSpec wanted : images) {
            CameraSpec cam = env.cameras().stream().filter(c -> wanted.name().equals(ImageSpec.PREFIX + c.name()))
                    .findFirst().orElseThrow(() -> new KibanException("the policy reads camera images "
                            + images.stream().map(ImageSpec::name).toList() + ", but env " + env.name() + " renders "
                            + (env.cameras().isEmpty() ? "no camera"
                                    : env.cameras().stream().map(c -> ImageSpec.PREFIX + c.name()).toList())));
            if (cam.height() != wanted.height() || cam.width() != wanted.width() || wanted.channels() != 3) {
                throw new KibanException("the policy reads " + wanted.name() + " as " + wanted.height() + "x"
                        + wanted.width() + "x" + wanted.channels() + ", but env " + env.name() + " renders it "
                        + cam.height() + "x" + cam.width() + "x3");
            }
        }
    }

    /**
     * What a policy reading {@code images} (none, or some of the env's cameras) is given for {@code obs}:
     * the state, each rendered frame under its camera's feature name, and the instruction.
     */
    public static PolicyObservation observe(Observation obs, List<ImageSpec> images, String instruction) {
        if (images.isEmpty()) {
            return new PolicyObservation(obs.state(), Map.of(), instruction);
        }
        Map<String, byte[]> frames = new LinkedHashMap<>();
        for (ImageSpec wanted : images) {
            Image image = obs.images().get(ImageSpec.cameraOf(wanted.name()));
            if (image == null) {
                throw new KibanException("the policy reads " + wanted.name() + ", but the env gives "
                        + (obs.images().isEmpty() ? "no pictures; create it with images on (EnvConfig.withImages)"
                                : "only " + obs.images().keySet()));
            }
            frames.put(wanted.name(), image.rgb());
        }
        return new PolicyObservation(obs.state(), frames, instruction);
    }

    private static List<String> actionNames(Env env) {
        List<String> names = new ArrayList<>();
        for (FeatureSpec f : env.spec().action()) {
            for (int i = 0; i < f.size(); i++) {
                names.add(f.names().isEmpty() ? f.name() + (f.size() > 1 ? "[" + i + "]" : "") : f.name() + "." + f.names().get(i));
            }
        }
        return names;
    }

    private static byte[] gif(List<Image> frames, double controlHz) {
        try {
            Path tmp = Files.createTempFile("kiban-eval", ".gif");
            try {
                VideoWriter.write(tmp, frames, Math.max(5, Math.min(30, controlHz)));
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new KibanException("cannot encode the rollout animation: " + e.getMessage(), e);
        }
    }
}
