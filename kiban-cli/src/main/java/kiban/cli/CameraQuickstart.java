package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import kiban.cli.QuickstartCommand.TrainingWatch;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.progress.Progress;
import kiban.eval.EvalResult;
import kiban.eval.Evaluator;
import kiban.eval.report.EvalReport;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.estimate.EstimateError;
import kiban.policy.estimate.EstimatedStateConfig;
import kiban.policy.estimate.EstimatedStateTraining;
import kiban.policy.run.Policies;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvRegistry;

/**
 * {@code kiban quickstart --camera}: PushT from the camera and the agent's position. The expert
 * demonstrations are recorded with the camera; the plain quickstart's state policy trains on their
 * states, an estimator of the block's pose on their frames, each labelled by the simulator with the
 * pose it rendered ({@link CameraRecipe}); the two are evaluated together from the frames the env
 * renders, the observation's block pose never read. Run again, it reuses what is finished and
 * resumes what is not.
 */
final class CameraQuickstart {

    private static final int STAGES = 4;

    private final Path out;
    private final int episodes;
    private final long steps;
    private final long estimatorSteps;
    private final int testEpisodes;
    private final String policy;
    private final boolean json;

    CameraQuickstart(Path out, int episodes, long steps, long estimatorSteps, int testEpisodes, String policy, boolean json) {
        this.out = out;
        this.episodes = episodes;
        this.steps = steps;
        this.estimatorSteps = estimatorSteps;
        this.testEpisodes = testEpisodes;
        this.policy = policy;
        this.json = json;
    }

    void run(PrintWriter o, PrintWriter notes) {
        long start = System.nanoTime();
        EnvProvider provider = EnvRegistry.load().get(QuickstartCommand.ENV);
        Path dataset = out.resolve("data");
        RunDirectory statePolicy = new RunDirectory(out.resolve("state-policy"));
        RunDirectory run = new RunDirectory(out.resolve("run"));
        Path report = out.resolve("report.html");
        RunDirectory estimator = new RunDirectory(run.root().resolve("estimator"));
        QuickstartEta eta = new QuickstartEta(QuickstartEta.Reference.CAMERA,
                episodes - QuickstartCommand.recordedEpisodes(dataset), steps - statePolicy.latestStep(),
                estimatorSteps - estimator.latestStep(), testEpisodes);
        QuickstartCommand.note(notes, eta.initial());

        QuickstartCommand.stage(notes, 1, STAGES, "recording " + episodes + " expert demonstrations with the 96x96 camera into "
                + dataset);
        QuickstartCommand.record(notes, eta, provider, episodes, dataset, true);

        TrainConfig config = QuickstartCommand.config(policy, steps);
        boolean resume = statePolicy.exists();
        QuickstartCommand.stage(notes, 2, STAGES, (resume ? "continuing" : "training") + " a " + policy + " policy on the states "
                + "for " + steps + " steps in " + statePolicy.root() + "; " + eta.atStart(QuickstartEta.Stage.TRAIN));
        QuickstartCommand.train(config, DatasetEpisodes.load(dataset, config.validationFraction()), statePolicy, resume, eta);

        EstimatedStateConfig recipe = CameraRecipe.estimator(statePolicy.root(), estimatorSteps);
        boolean resumeEstimator = run.exists();
        QuickstartCommand.stage(notes, 3, STAGES, (resumeEstimator ? "continuing" : "training") + " the estimator of "
                + String.join(" and ", CameraRecipe.ESTIMATED) + " from the camera for " + estimatorSteps + " steps in "
                + run.root() + "; " + eta.atStart(QuickstartEta.Stage.ESTIMATOR));
        var job = EstimatedStateTraining.Job.prepare(run, dataset, recipe, resumeEstimator, "the camera quickstart's recipe");
        EstimatedStateTraining.Trained trained;
        try (Progress p = Progress.start(job.label(), "steps", job.steps(), true);
                TrainingWatch watch = new TrainingWatch(p, eta, QuickstartEta.Stage.ESTIMATOR, job.steps())) {
            trained = job.train(p);
        }
        trained.heldOut().forEach(e -> QuickstartCommand.note(notes, "held out: " + e));

        QuickstartCommand.stage(notes, 4, STAGES, "evaluating on seeds " + QuickstartCommand.TEST_SEED + "-"
                + (QuickstartCommand.TEST_SEED + testEpisodes - 1) + " (" + QuickstartCommand.ENV + ", 300 steps, from the "
                + "rendered frames); " + eta.atStart(QuickstartEta.Stage.EVAL));
        EvalResult result;
        try (Policy camera = Policies.load(run.root());
                Env env = provider.create(EnvConfig.DEFAULT.withImages(true));
                Progress p = Progress.start("eval", "episodes", testEpisodes, true)) {
            result = new Evaluator(EvalCommand.RECORDED_EPISODES, EvalCommand.defaultExecution(policy))
                    .evaluate(env, camera, policy, testEpisodes, QuickstartCommand.TEST_SEED, p);
        }
        EvalReport.write(report, "Kiban quickstart: " + policy + " policy on PushT's 96x96 camera and agent position, the block's "
                + "pose estimated from the camera, from " + episodes + " expert demonstrations", result,
                EvalReport.curvesFromCsv(estimator.metricsCsv(), "loss", "validation_loss"));
        ObjectNode extra = Json.object().put("camera", CameraRecipe.CAMERA);
        ObjectNode held = extra.putObject("held_out_error");
        for (EstimateError e : trained.heldOut()) {
            e.write(held.putObject(e.feature()));
        }
        QuickstartCommand.printResult(o, result, report, (System.nanoTime() - start) / 60e9, json, extra);
    }
}
