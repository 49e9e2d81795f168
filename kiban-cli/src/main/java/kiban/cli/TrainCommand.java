package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.run.RunDirectory;
import kiban.policy.train.PolicyTrainer;
import kiban.policy.train.TrainConfig;
import kiban.policy.train.TrainingData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban train}: a policy from a LeRobot dataset into a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a policy on a LeRobot dataset (CPU by default); --resume continues an interrupted run.")
final class TrainCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "A LeRobot dataset (v3.0 or v2.1).")
    Path dataset;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "Run folder for checkpoints and metrics.")
    Path out;

    @Option(names = "--policy", description = "mlp, flow, diffusion or act (default: flow, or the config file's).")
    String policy;

    @Option(names = "--steps", description = "Optimisation steps (default: 5000, or the config file's).")
    Long steps;

    @Option(names = "--batch", description = "Batch size (default: 256, or the config file's).")
    Integer batch;

    @Option(names = "--seed", description = "Seed of weights, noise and data order (default: 0, or the config file's).")
    Long seed;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "Training config (YAML or JSON); flags override it.")
    Path config;

    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint.")
    boolean resume;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public void run() {
        RunDirectory run = new RunDirectory(out);
        TrainConfig c = resolveConfig(run);
        TrainingData data = DatasetEpisodes.load(dataset, c.validationFraction(), c.imageFeatures());
        PolicyTrainer.Result r;
        try (Progress p = Progress.start("train " + c.policy(), "steps", c.steps(), true)) {
            r = new PolicyTrainer(c, data, run).train(resume, p);
        }
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = Json.object().put("run", out.toString()).put("policy", c.policy()).put("steps", r.steps())
                    .put("final_loss", r.finalLoss()).put("steps_per_second", r.stepsPerSecond())
                    .put("train_episodes", data.train().size()).put("validation_episodes", data.validation().size());
            if (Double.isFinite(r.validationLoss())) {
                n.put("validation_loss", r.validationLoss());
            }
            n.put("checkpoint", String.valueOf(r.checkpoint()));
            o.println(Json.pretty(n));
            return;
        }
        o.printf("trained %s for %d steps on %d episodes (%d held out): loss %.4f, validation loss %.4f, %.1f steps/s%n",
                c.policy(), r.steps(), data.train().size(), data.validation().size(), r.finalLoss(), r.validationLoss(),
                r.stepsPerSecond());
        o.println("checkpoint: " + r.checkpoint());
    }

    /** Defaults, then the config file, then flags; a resumed run keeps its own config. */
    private TrainConfig resolveConfig(RunDirectory run) {
        if (resume) {
            if (config != null || policy != null || batch != null || seed != null) {
                throw new ParameterException(spec.commandLine(),
                        "--resume continues the run with its own config.json; only --steps may change");
            }
            TrainConfig saved = TrainConfig.read(Json.readTree(run.config()), run.config().toString(), TrainConfig.defaults());
            return steps == null ? saved : with(saved, null, steps, null, null);
        }
        TrainConfig c = TrainConfig.defaults();
        if (config != null) {
            c = TrainConfig.read(Json.readTree(config), config.toString(), c);
        }
        if (policy != null && !TrainConfig.POLICIES.contains(policy)) {
            throw new ParameterException(spec.commandLine(), "--policy must be one of " + TrainConfig.POLICIES + ", got '" + policy + "'");
        }
        if ((steps != null && steps < 1) || (batch != null && batch < 1) || (seed != null && seed < 0)) {
            throw new ParameterException(spec.commandLine(), "--steps and --batch must be positive and --seed not negative");
        }
        return with(c, policy, steps, batch, seed);
    }

    private static TrainConfig with(TrainConfig c, String policy, Long steps, Integer batch, Long seed) {
        return c.with(tree -> {
            if (policy != null) {
                tree.put("policy", policy);
            }
            if (steps != null) {
                tree.put("steps", steps);
            }
            if (batch != null) {
                tree.put("batch", batch);
            }
            if (seed != null) {
                tree.put("seed", seed);
            }
        });
    }
}
