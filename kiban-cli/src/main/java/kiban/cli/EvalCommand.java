package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.EstimatesState;
import kiban.core.progress.Progress;
import kiban.eval.EpisodeRecord;
import kiban.eval.EvalResult;
import kiban.eval.Evaluator;
import kiban.eval.ObservationNoise;
import kiban.eval.report.EvalReport;
import kiban.policy.run.RunDirectory;
import kiban.core.policy.ChunkExecutor;
import kiban.core.policy.GuidanceMask;
import kiban.core.policy.Policy;
import kiban.policy.estimate.EstimateError;
import kiban.policy.export.TorchScriptExport;
import kiban.policy.run.OneOfSeveralEmbodiments;
import kiban.policy.run.Policies;
import kiban.policy.torchscript.TorchScriptPolicy;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.EnvTask;
import kiban.sim.env.TaskSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban eval}: a trained policy on fixed seeds of a simulator, with a report. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained policy in a simulator on fixed seeds (a Kiban run's model card lists the result); "
                + "optionally write an HTML report.")
final class EvalCommand implements Runnable {

    /** Episodes whose action traces and animations go into the report. */
    static final int RECORDED_EPISODES = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "RUN",
            description = "A training run folder (kiban train --out) or a TorchScript policy folder.")
    Path checkpoint;

    @Option(names = "--env", required = true, description = "Simulator name (see 'kiban sim list').")
    String env;

    @Option(names = "--embodiment", paramLabel = "NAME", description = "Which embodiment of a foundation policy to evaluate "
            + "(default: the one trained on --env's data).")
    String embodiment;

    @Option(names = "--episodes", defaultValue = "50", description = "Episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "100000",
            description = "Seed of the first episode; episode i uses seed+i (default: ${DEFAULT-VALUE}, Diffusion Policy's test seeds).")
    long seed;

    @Option(names = "--task", paramLabel = "NAME|all", description = "The task every episode poses, or 'all': episode i "
            + "poses the env's task i mod k (default: the env's first; 'kiban sim list' names them). Where the env poses "
            + "several, the policy is given the task's instruction.")
    String task;

    @Option(names = "--instruction", paramLabel = "TEXT", description = "Give the policy this instruction with every "
            + "observation instead of the task's (to see whether it follows instructions: give it another task's).")
    String instruction;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write a self-contained HTML report.")
    Path report;

    @Option(names = "--video", paramLabel = "DIR", description = "Write the first episodes as GIF files into DIR.")
    Path video;

    @Option(names = "--execution",
            description = "chunks (execute the policy's action steps of each chunk), crossfade (chunks, each new one faded in "
                    + "from the last over 3 steps, as kiban run executes chunks), ensemble (ACT's temporal ensembling; one inference a "
                    + "step) or rtc (chunks, each sampled during the delay with the rows that execute meanwhile frozen: real-time "
                    + "chunking, flow and diffusion policies) (default: ensemble for act policies, chunks for the others).")
    String execution;

    @Option(names = "--action-steps", paramLabel = "N",
            description = "Execute N actions of each chunk before asking again, instead of the run's action_steps "
                    + "(at most its horizon; chunks, crossfade and rtc execution only).")
    Integer actionSteps;

    @Option(names = "--delay-steps", paramLabel = "D", defaultValue = "0", description = "Simulate an inference delay of D "
            + "control steps: every chunk after an episode's first is asked for D steps before the last one's executed actions "
            + "run out, the env goes on meanwhile, and it starts at its row D (at most the action steps, and with them at most "
            + "the horizon); ensembling asks every step and averages the chunks that have landed (less than the horizon) "
            + "(default: ${DEFAULT-VALUE}).")
    int delaySteps;

    @Option(names = "--rtc-mask", paramLabel = "hard|soft", defaultValue = "hard", description = "Which rows of the running "
            + "chunk guide the next with --execution rtc: hard (only the rows that execute during the delay, frozen) or soft "
            + "(those, then the rest of the running chunk with weights that fall exponentially, as the RTC paper's soft mask) "
            + "(default: ${DEFAULT-VALUE}).")
    String rtcMask;

    @Option(names = "--observation-noise", split = ",", paramLabel = "FEATURE=SD", description = "Add zero-mean Gaussian "
            + "noise of standard deviation SD (in the feature's units) to the observation feature FEATURE before the policy "
            + "reads it, each step drawn once from the episode's seed: how precisely the policy needs its state, e.g. "
            + "block_pos=2,block_angle=0.035 on pusht. The env is not changed.")
    Map<String, Double> observationNoise = new java.util.LinkedHashMap<>();

    @Option(names = "--measured", split = ",", paramLabel = "FEATURE", description = "Give an estimated-state policy these "
            + "of its estimated features as the observation has them (the simulator's truth) instead of its estimator's "
            + "reading: which reading costs success.")
    List<String> measured = new java.util.ArrayList<>();

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Mixin
    RandomizeOption randomize = new RandomizeOption();

    @Override
    public void run() {
        if (episodes < 1) {
            throw new ParameterException(spec.commandLine(), "--episodes must be at least 1, got " + episodes);
        }
        InstructionOption.check(spec, instruction);
        randomize.check();
        ChunkExecutor.Mode chosen = execution == null ? null : ChunkExecutor.Mode.parse(execution);
        GuidanceMask mask = GuidanceMask.parse(rtcMask);
        if (mask != GuidanceMask.HARD && chosen != ChunkExecutor.Mode.RTC) {
            throw new ParameterException(spec.commandLine(), "--rtc-mask applies to --execution rtc");
        }
        ObservationNoise noise;
        try {
            noise = new ObservationNoise(observationNoise);
        } catch (IllegalArgumentException ex) {
            throw new ParameterException(spec.commandLine(), "--observation-noise: " + ex.getMessage());
        }
        var provider = EnvRegistry.load().get(env);
        EvalResult result;
        ChunkExecutor.Mode mode;
        int executed;
        EvalCard.Setup card = null;
        List<EstimateError> estimateErrors = List.of();
        try (Policy policy = Policies.load(checkpoint, java.util.Optional.of(embodiment != null ? embodiment : env));
                Env e = provider.create(randomize.apply(EnvConfig.DEFAULT.withImages(!policy.metadata().images().isEmpty())))) {
            // What can refuse the command does so before the bar starts.
            Evaluator.checkCompatible(e.spec(), policy.metadata(), "policy");
            if (!measured.isEmpty()) {
                if (!(policy instanceof EstimatesState s)) {
                    throw new ParameterException(spec.commandLine(), "--measured applies to a policy that estimates some of its"
                            + " state from its cameras (kiban train --policy estimated-state); " + checkpoint + " reads its"
                            + " whole state from the observation");
                }
                try {
                    s.measure(measured);
                } catch (IllegalArgumentException ex) {
                    throw new ParameterException(spec.commandLine(), "--measured: " + ex.getMessage());
                }
            }
            noise.perElement(e.spec().observation());
            TaskSchedule tasks = TaskSchedule.of(e.spec(), this.task);
            int recorded = report != null || video != null ? RECORDED_EPISODES : 0;
            mode = chosen != null ? chosen : defaultExecution(checkpoint, policy.metadata().type());
            if (mode == ChunkExecutor.Mode.RTC && !policy.continuesChunks()) {
                throw new ParameterException(spec.commandLine(), "--execution rtc needs a policy that samples its chunks (flow or diffusion): a "
                        + policy.metadata().type() + " policy cannot continue a chunk from frozen rows; use --execution chunks");
            }
            executed = executedSteps(mode, policy.metadata().horizon(), policy.metadata().actionSteps());
            try (Progress progress = Progress.start("eval " + env, "episodes", episodes, true)) {
                Evaluator evaluator = new Evaluator(recorded, mode, OptionalInt.of(executed), checkedDelay(mode,
                        policy.metadata().horizon(), executed));
                evaluator = evaluator.withMask(mask).withObservationNoise(noise);
                result = (instruction == null ? evaluator : evaluator.withInstruction(instruction))
                        .evaluate(e, policy, policy.metadata().type(), episodes, seed, tasks, progress);
            }
            if (policy instanceof EstimatesState s && !result.readings().isEmpty()) {
                estimateErrors = EstimateError.of(policy.metadata().observation(), s.estimatedFeatures(),
                        result.readings().stream().map(EvalResult.StateReading::truth).toList(),
                        result.readings().stream().map(EvalResult.StateReading::read).toList());
            }
            if (EvalCard.isRun(checkpoint)) {
                card = new EvalCard.Setup(new RunDirectory(checkpoint).latestStep(), policy instanceof OneOfSeveralEmbodiments f
                        ? f.embodimentName() : "", tasks.tasks().stream().map(EnvTask::name).toList(), mode, executed,
                        delaySteps, instruction);
            }
        }
        if (report != null) {
            var curves = EvalReport.curvesFromCsv(new RunDirectory(checkpoint).metricsCsv(), "loss", "validation_loss");
            EvalReport.write(report, result.policy() + " policy from " + checkpoint + " on " + env, result, curves);
        }
        if (video != null) {
            writeVideos(result);
        }
        if (json) {
            ObjectNode o = toJson(result, report).put("execution", mode.wireName()).put("action_steps", executed)
                    .put("delay_steps", delaySteps);
            if (mode == ChunkExecutor.Mode.RTC) {
                o.put("rtc_mask", mask.wireName());
            }
            if (instruction != null) {
                o.put("instruction", instruction);
            }
            if (!randomize.kinds.isEmpty()) {
                randomize.kinds.forEach(o.putArray("randomize")::add);
            }
            if (!noise.isNone()) {
                noise.deviations().forEach(o.putObject("observation_noise")::put);
            }
            if (!measured.isEmpty()) {
                measured.forEach(o.putArray("measured")::add);
            }
            if (!estimateErrors.isEmpty()) {
                ObjectNode errors = o.putObject("estimate_error");
                estimateErrors.forEach(x -> x.write(errors.putObject(x.feature())));
            }
            spec.commandLine().getOut().println(Json.pretty(o));
        } else {
            print(spec.commandLine().getOut(), result, report, false);
            line(spec.commandLine().getOut(), "execution", mode.wireName()
                    + (chunked(mode) ? ", " + Text.count(executed, "action") + " of each chunk" : "")
                    + (delaySteps > 0 ? ", an inference delay of " + Text.count(delaySteps, "step") : "")
                    + (mode == ChunkExecutor.Mode.RTC ? ", " + mask.wireName() + " mask" : ""));
            if (!randomize.kinds.isEmpty()) {
                line(spec.commandLine().getOut(), "randomized", String.join(", ", randomize.kinds));
            }
            if (!noise.isNone()) {
                line(spec.commandLine().getOut(), "observation noise", noise.deviations().entrySet().stream()
                        .map(n -> n.getKey() + " sd " + n.getValue()).collect(java.util.stream.Collectors.joining(", ")));
            }
            if (!measured.isEmpty()) {
                line(spec.commandLine().getOut(), "measured", String.join(", ", measured) + " (the truth, not the estimator)");
            }
            if (!estimateErrors.isEmpty()) {
                // Read on the states the policy drove into: beside the training's held-out error on recorded ones.
                line(spec.commandLine().getOut(), "estimate error", "on the states it acted on:");
                estimateErrors.forEach(x -> spec.commandLine().getOut().println("    " + x));
            }
        }
        if (card != null && noise.isNone() && measured.isEmpty()) { // a card reports the policy as deployed
            EvalCard.add(checkpoint, result, card, spec.commandLine().getErr());
        }
    }

    /** The actions executed of each chunk: {@code --action-steps} where given and valid, else the run's; ensembling executes one. */
    private int executedSteps(ChunkExecutor.Mode mode, int horizon, int runSteps) {
        if (actionSteps == null) {
            return chunked(mode) ? runSteps : 1;
        }
        if (!chunked(mode)) {
            throw new ParameterException(spec.commandLine(), "--action-steps applies to --execution chunks, crossfade and rtc; ensembling asks the "
                    + "policy every step");
        }
        if (actionSteps < 1 || actionSteps > horizon) {
            throw new ParameterException(spec.commandLine(), "--action-steps must lie in [1, " + horizon
                    + "] (the policy's horizon), got " + actionSteps);
        }
        return actionSteps;
    }

    /** {@code --delay-steps}, which the horizon must hold with the executed actions where chunks are executed. */
    private int checkedDelay(ChunkExecutor.Mode mode, int horizon, int executed) {
        if (delaySteps == 0) {
            return 0;
        }
        if (!chunked(mode)) {
            if (delaySteps < 0 || delaySteps >= horizon) {
                throw new ParameterException(spec.commandLine(), "--delay-steps must lie in [0, " + (horizon - 1) + "] with ensembling "
                        + "(a chunk that lands must still cover the step: less than the policy's " + horizon + "-step horizon), got "
                        + delaySteps);
            }
            return delaySteps;
        }
        int most = Math.min(executed, horizon - executed);
        if (delaySteps < 0 || delaySteps > most) {
            throw new ParameterException(spec.commandLine(), "--delay-steps must lie in [0, " + most + "] (at most the " + executed
                    + " actions executed of each chunk, which with the delay must fit the policy's " + horizon
                    + "-step horizon; --action-steps sets them), got " + delaySteps);
        }
        return delaySteps;
    }

    /** Whether {@code mode} executes several actions of each chunk (crossfade and rtc are chunk executions that blend or continue chunks). */
    private static boolean chunked(ChunkExecutor.Mode mode) {
        return mode != ChunkExecutor.Mode.ENSEMBLE;
    }

    /** ACT is trained to be run with temporal ensembling; the other policies execute chunks as Diffusion Policy does. */
    static ChunkExecutor.Mode defaultExecution(String policyType) {
        return "act".equals(policyType) ? ChunkExecutor.Mode.ENSEMBLE : ChunkExecutor.Mode.CHUNKS;
    }

    /** As {@link #defaultExecution(String)}, where a TorchScript export runs as the policy it was exported from. */
    static ChunkExecutor.Mode defaultExecution(Path policyDir, String policyType) {
        String trained = TorchScriptPolicy.TYPE.equals(policyType)
                ? TorchScriptExport.sourcePolicy(policyDir).orElse(policyType) : policyType;
        return defaultExecution(trained);
    }

    private void writeVideos(EvalResult result) {
        try {
            Files.createDirectories(video);
            for (EpisodeRecord e : result.episodes()) {
                if (e.animation() != null) {
                    Files.write(video.resolve("seed-" + e.seed() + ".gif"), e.animation());
                }
            }
        } catch (IOException ex) {
            throw new KibanException(video + ": cannot write videos: " + ex.getMessage(), ex);
        }
    }

    static ObjectNode toJson(EvalResult r, Path report) {
        ObjectNode o = Json.object();
        o.put("env", r.env());
        o.put("policy", r.policy());
        o.put("episodes", r.episodes().size());
        o.put("seed", r.firstSeed());
        o.put("success_rate", r.successRate());
        double[] ci = r.successInterval();
        o.putArray("success_rate_ci95").add(ci[0]).add(ci[1]);
        Map<String, EvalResult.TaskSuccess> perTask = r.successPerTask();
        if (perTask.size() > 1 || !perTask.containsKey(EnvSpec.DEFAULT_TASK)) {
            ObjectNode tasks = o.putObject("tasks");
            perTask.forEach((name, t) -> {
                ObjectNode n = tasks.putObject(name);
                n.put("episodes", t.episodes());
                n.put("success_rate", t.rate());
                n.putArray("success_rate_ci95").add(t.interval()[0]).add(t.interval()[1]);
            });
        }
        o.put("mean_score", r.meanScore());
        o.put("mean_reward", r.meanReward());
        o.put("mean_length", r.meanLength());
        o.put("seconds_per_episode", r.secondsPerEpisode());
        r.metrics().forEach(o::put);
        if (report != null) {
            o.put("report", report.toString());
        }
        return o;
    }

    /** Width of the labels of the summary, so that the figures line up (the longest: "table collisions"). */
    private static final int LABEL_WIDTH = 17;

    static void line(PrintWriter out, String label, String value) {
        out.printf("  %-" + LABEL_WIDTH + "s %s%n", label, value);
    }

    static void print(PrintWriter out, EvalResult r, Path report, boolean json) {
        if (json) {
            out.println(Json.pretty(toJson(r, report)));
            return;
        }
        double[] ci = r.successInterval();
        out.printf("%s policy on %s, %s from seed %d%n", r.policy(), r.env(), Text.count(r.episodes().size(), "episode"),
                r.firstSeed());
        line(out, "success rate", String.format("%.3f (95%% CI %.3f-%.3f)", r.successRate(), ci[0], ci[1]));
        Map<String, EvalResult.TaskSuccess> perTask = r.successPerTask();
        if (perTask.size() > 1) {
            perTask.forEach((name, t) -> line(out, "  task " + name, String.format("%.3f (95%% CI %.3f-%.3f) of %d", t.rate(),
                    t.interval()[0], t.interval()[1], t.episodes())));
        }
        line(out, "mean score", String.format("%.3f", r.meanScore()));
        line(out, "mean length", String.format("%.1f steps", r.meanLength()));
        r.metrics().forEach((k, v) -> line(out, k.replace('_', ' '), Text.number(v)));
        if (report != null) {
            line(out, "report", report.toAbsolutePath().toString());
        }
    }
}
