package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.eval.EvalResult;
import kiban.eval.Evaluator;
import kiban.eval.report.EvalReport;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.TrainingData;
import kiban.policy.model.FlowNetwork;
import kiban.policy.model.PolicyTypes;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.policy.run.TrainedPolicy;
import kiban.policy.train.PolicyTrainer;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kiban quickstart}: the whole path on PushT in one command: record expert demonstrations,
 * train the default policy, evaluate it on the Diffusion Policy protocol and write the report.
 * Run again, it reuses what is finished and resumes what is not. With {@code --camera}, the same
 * path from pixels ({@link CameraQuickstart}).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Record expert PushT demonstrations, train a policy, evaluate it on Diffusion Policy's "
                + "50 test seeds and write an HTML report.")
final class QuickstartCommand implements Runnable {

    static final String ENV = "pusht";
    /** Diffusion Policy's PushT test seeds are 100000..100049. */
    static final long TEST_SEED = 100_000;
    static final int TEST_EPISODES = 50;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for the dataset, the run and the report (default: runs/quickstart; with --camera "
                    + "runs/quickstart-camera).")
    Path out;

    @Option(names = "--camera", description = "The pixel pipeline: record the demonstrations with PushT's 96x96 camera, "
            + "train the state policy and a camera estimator of the block's pose, and evaluate the two together from the "
            + "frames the env renders and the agent's position, no block pose (docs/TRAINING.md, \"Pixel policies\").")
    boolean camera;

    // Defaults from the measurements in docs/PUSHT-QUALITY.md: the best found within the time budget
    // (with the 6-block FiLM head, 300 episodes beat 150 and 600 beat 300: test success 0.84-0.88 in
    // four training runs against 0.74-0.86; 40,000 steps did as well as 50,000 and keep the whole run
    // near 12 minutes on 2 cores).
    @Option(names = "--episodes", description = "Expert demonstrations to record (default: " + EPISODES + ").")
    Integer episodesOption;

    @Option(names = "--steps", description = "Training steps of the policy (default: " + STEPS + ").")
    Long stepsOption;

    @Option(names = "--estimator-steps", paramLabel = "N", defaultValue = "" + CameraRecipe.ESTIMATOR_STEPS,
            description = "With --camera: training steps of the block-pose estimator (default: ${DEFAULT-VALUE}).")
    long estimatorSteps;

    @Option(names = "--eval-episodes", defaultValue = "" + TEST_EPISODES, paramLabel = "N",
            description = "Test episodes, on seeds " + TEST_SEED + " onward (default: ${DEFAULT-VALUE}, Diffusion Policy's protocol).")
    int testEpisodes;

    @Option(names = "--policy", defaultValue = "flow", description = "Policy type (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    static final int EPISODES = 600;
    static final long STEPS = 40_000;

    private int episodes;
    private long steps;

    @Override
    public void run() {
        episodes = episodesOption != null ? episodesOption : EPISODES;
        steps = stepsOption != null ? stepsOption : STEPS;
        if (out == null) {
            out = Path.of(camera ? "runs/quickstart-camera" : "runs/quickstart");
        }
        if (episodes < 2 || steps < 1 || !PolicyTypes.registry().has(policy)) {
            throw new ParameterException(spec.commandLine(), "--episodes must be at least 2, --steps positive and --policy one of "
                    + PolicyTypes.registry().names());
        }
        if (testEpisodes < 1) {
            throw new ParameterException(spec.commandLine(), "--eval-episodes must be at least 1, got " + testEpisodes);
        }
        PrintWriter o = spec.commandLine().getOut();
        // With --json, stdout carries the JSON alone; the stages and estimates go with the bars to stderr.
        PrintWriter notes = json ? spec.commandLine().getErr() : o;
        if (camera) {
            if (estimatorSteps < 1) {
                throw new ParameterException(spec.commandLine(), "--estimator-steps must be positive, got " + estimatorSteps);
            }
            CameraRecipe.check(spec, out);
            new CameraQuickstart(out, episodes, steps, estimatorSteps, testEpisodes, policy, json).run(o, notes);
            return;
        }
        if (estimatorStepsGiven()) {
            throw new ParameterException(spec.commandLine(), "--estimator-steps trains the camera's pose estimator: add --camera");
        }
        long start = System.nanoTime();
        EnvProvider provider = EnvRegistry.load().get(ENV);
        Path dataset = out.resolve("data");
        Path runDir = out.resolve("run");
        Path report = out.resolve("report.html");
        RunDirectory run = new RunDirectory(runDir);
        QuickstartEta eta = new QuickstartEta(episodes - recordedEpisodes(dataset), steps - run.latestStep(), testEpisodes);
        note(notes, eta.initial());

        stage(notes, 1, "recording " + episodes + " expert demonstrations into " + dataset);
        record(notes, eta, provider, episodes, dataset, false);

        TrainConfig config = config(policy, steps);
        boolean resume = run.exists();
        stage(notes, 2, (resume ? "continuing" : "training") + " a " + policy + " policy for " + steps + " steps in " + runDir
                + "; " + eta.atStart(QuickstartEta.Stage.TRAIN));
        train(config, DatasetEpisodes.load(dataset, config.validationFraction()), run, resume, eta);

        stage(notes, 3, "evaluating on seeds " + TEST_SEED + "-" + (TEST_SEED + testEpisodes - 1) + " (" + ENV + ", 300 steps); "
                + eta.atStart(QuickstartEta.Stage.EVAL));
        EvalResult result;
        try (TrainedPolicy trained = TrainedPolicy.load(runDir);
                Env env = provider.create(EnvConfig.DEFAULT);
                Progress p = Progress.start("eval", "episodes", testEpisodes, true)) {
            result = new Evaluator(EvalCommand.RECORDED_EPISODES, EvalCommand.defaultExecution(policy)).evaluate(env, trained, policy, testEpisodes, TEST_SEED, p);
        }
        EvalReport.write(report, "Kiban quickstart: " + policy + " policy on PushT from " + episodes + " expert demonstrations",
                result, EvalReport.curvesFromCsv(run.metricsCsv(), "loss", "validation_loss"));
        printResult(o, result, report, (System.nanoTime() - start) / 60e9, json, Json.object());
    }

    /**
     * Records (or, on a rerun, completes) {@code episodes} expert demonstrations into {@code dataset},
     * with the camera where asked, and tells the whole run's estimate at the rate measured.
     */
    static void record(PrintWriter notes, QuickstartEta eta, EnvProvider provider, int episodes, Path dataset,
            boolean camera) {
        SimRecorder.Result recorded;
        try (Progress p = Progress.start("record", "episodes", episodes, true)) {
            recorded = SimRecorder.record(provider, provider::expert, episodes, 0, dataset, Files.isDirectory(dataset), false,
                    camera, p);
        }
        // A few episodes time mostly the start (JIT, first allocations), not the machine.
        if (recorded.recorded() >= 20 && recorded.seconds() > 0) {
            note(notes, eta.measured(QuickstartEta.Stage.RECORD, recorded.recorded() / recorded.seconds(), 0));
        }
    }

    /** Trains (or continues) the state policy of {@code config} on {@code data} in {@code run}, the estimate updated as it goes. */
    static void train(TrainConfig config, TrainingData data, RunDirectory run, boolean resume, QuickstartEta eta) {
        try (Progress p = Progress.start("train", "steps", config.steps(), true);
                TrainingWatch watch = new TrainingWatch(p, eta, QuickstartEta.Stage.TRAIN, config.steps())) {
            new PolicyTrainer(config, data, run).train(resume, p);
        }
    }

    /**
     * The test result, with {@code extra} fields in the JSON: a line and the report's path, or with
     * {@code --json} the evaluation's JSON (as {@code kiban eval --json} prints it) and the minutes.
     */
    static void printResult(PrintWriter o, EvalResult result, Path report, double minutes, boolean json, ObjectNode extra) {
        if (json) {
            ObjectNode n = EvalCommand.toJson(result, report.toAbsolutePath());
            n.put("minutes", minutes);
            n.setAll(extra);
            o.println(Json.pretty(n));
            return;
        }
        double[] ci = result.successInterval();
        o.printf("%nsuccess rate %.2f (95%% CI %.2f-%.2f), mean score %.3f over %d episodes, in %.1f minutes%n",
                result.successRate(), ci[0], ci[1], result.meanScore(), result.episodes().size(), minutes);
        o.println("report: " + report.toAbsolutePath());
    }

    private boolean estimatorStepsGiven() {
        return spec.commandLine().getParseResult().hasMatchedOption("--estimator-steps");
    }

    /** The plain quickstart's state policy: the camera quickstart trains the same one. */
    static TrainConfig config(String policy, long steps) {
        // From docs/PUSHT-QUALITY.md, chosen on validation seeds: targets as steps from the agent's
        // measured position (mean score 0.575 -> 0.728), two of each 16-step chunk executed before
        // replanning, flow sampling from half-scale noise (success 0.345 -> 0.585 together), and the
        // flow's FiLM residual head (0.585 -> 0.735 with 4 blocks of width 256), here 6 blocks, which
        // with 600 episodes gave 0.845-0.88 on the validation seeds.
        return TrainConfig.defaults().with(c -> {
            c.put("policy", policy).put("steps", steps).put("action_steps", 2).put("flow_noise_scale", 0.5);
            c.putObject("delta_actions").put("target_pos", "agent_pos");
            if (policy.equals(FlowNetwork.TYPE)) {
                c.put("flow_head", "film");
                var hidden = c.putArray("hidden");
                for (int block = 0; block < 6; block++) {
                    hidden.add(256);
                }
            }
        });
    }

    /** Episodes a rerun finds already recorded (0 where there is no dataset yet). */
    static int recordedEpisodes(Path dataset) {
        Path info = dataset.resolve("meta/info.json");
        if (!Files.isRegularFile(info)) {
            return 0;
        }
        try {
            return Json.readTree(info).path("total_episodes").asInt(0);
        } catch (RuntimeException e) {
            return 0; // only an estimate: the recording itself reports what is wrong with the file
        }
    }

    /** Steps a rerun finds already trained: its newest checkpoint's (0 where there is none). */
    /**
     * Tells the whole run's estimate once the first training steps are timed, and again at each
     * further quarter of the steps, above the bar; each from the rate since the one before, which
     * follows a machine whose load changes better than the mean since the start.
     */
    static final class TrainingWatch implements AutoCloseable {

        /** The first steps (warm-up, first allocations) run slower than the rest: they are not timed. */
        static final double WARM_UP_SECONDS = 5;
        static final double FIRST_REPORT_SECONDS = 15;

        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quickstart-eta");
            t.setDaemon(true);
            return t;
        });
        private final Progress bar;
        private final QuickstartEta eta;
        private final QuickstartEta.Stage stage;
        private final long steps;
        private long windowDone = -1;
        private double windowStart;
        private long nextReport;

        TrainingWatch(Progress bar, QuickstartEta eta, QuickstartEta.Stage stage, long steps) {
            this.bar = bar;
            this.eta = eta;
            this.stage = stage;
            this.steps = steps;
            timer.scheduleAtFixedRate(this::check, 1, 1, TimeUnit.SECONDS);
        }

        private void check() {
            if (!bar.started()) {
                return; // the trainer is still setting up; the bar's clock starts with the first step
            }
            double t = bar.seconds();
            long done = bar.done();
            if (windowDone < 0) {
                if (t >= WARM_UP_SECONDS) {
                    windowDone = done;
                    windowStart = t;
                    nextReport = done;
                }
                return;
            }
            boolean due = nextReport == windowDone ? t >= FIRST_REPORT_SECONDS : done >= nextReport;
            if (due && done > windowDone && done < steps) {
                double rate = (done - windowDone) / (t - windowStart);
                bar.message("quickstart: " + eta.measured(stage, rate, steps - done));
                windowDone = done;
                windowStart = t;
                nextReport = done + Math.max(1, steps / 4);
            }
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    static void note(PrintWriter o, String text) {
        o.println("quickstart: " + text);
        o.flush();
    }

    private static void stage(PrintWriter o, int n, String what) {
        stage(o, n, 3, what);
    }

    static void stage(PrintWriter o, int n, int of, String what) {
        o.printf("[%d/%d] %s%n", n, of, what);
        o.flush();
    }
}
