package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.TrainingData;
import kiban.policy.model.PolicyTypes;
import kiban.policy.run.Instructions;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.RunKind;
import kiban.policy.run.RunKinds;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.PolicyTrainer;
import kiban.policy.train.TrainOutcome;
import kiban.policy.train.TrainRequest;
import kiban.policy.train.TrainingKind;
import kiban.policy.train.TrainingKinds;
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

    @Option(names = "--dataset", paramLabel = "DIR", description = "A LeRobot dataset (v3.0 or v2.1).")
    Path dataset;

    @Option(names = "--mix", paramLabel = "DIR:WEIGHT[:EPISODES],...", description = "A pretraining mixture (the "
            + "foundation policy's): LeRobot datasets, each with its sampling weight (default 1) and optionally only its first EPISODES "
            + "episodes (instead of --dataset).")
    String mix;

    @Option(names = "--out", required = true, paramLabel = "RUN",
            description = "Run folder for checkpoints and metrics: a new or empty folder, or the run to --resume.")
    Path out;

    @Option(names = "--policy", description = "The policy type: mlp, flow, diffusion, act, foundation, or another registered one (default: flow, or the config file's).")
    String policy;

    @Option(names = "--steps", description = "Optimisation steps (default: 5000, or the config file's).")
    Long steps;

    @Option(names = "--batch", description = "Batch size (default: 256, or the config file's).")
    Integer batch;

    @Option(names = "--seed", description = "Seed of weights, noise and data order (default: 0, or the config file's).")
    Long seed;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "Training config (YAML or JSON); flags override it.")
    Path config;

    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint; the flags it was "
            + "started with may be repeated, and only --steps may change.")
    boolean resume;

    @Option(names = "--ignore-instructions", description = "Train a policy that ignores the frames' instructions even where "
            + "the dataset poses several tasks (the baseline that shows what following them is worth).")
    boolean ignoreInstructions;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public void run() {
        RunDirectory run = new RunDirectory(out);
        // Everything that can refuse the command does so before the dataset is read and the bar starts.
        PolicyTrainer.checkRunFolder(run, resume);
        Optional<TrainingKind> own = ownTraining();
        if (own.isPresent()) {
            trainOwn(own.get(), run);
            return;
        }
        if (mix != null) {
            throw new ParameterException(spec.commandLine(), "--mix trains a policy on a mixture of datasets, which "
                    + String.join(" and ", TrainingKinds.policies()) + " do; add --policy " + TrainingKinds.policies().getFirst());
        }
        if (dataset == null) {
            throw new ParameterException(spec.commandLine(), "give the data: --dataset DIR");
        }
        TrainConfig c = resolveConfig(run);
        TrainingData loaded = DatasetEpisodes.load(dataset, c.validationFraction(), c.imageFeatures());
        TrainingData data = ignoreInstructions ? loaded.withoutInstructions() : loaded;
        PolicyTrainer trainer = new PolicyTrainer(c, data, run);
        PolicyTrainer.Result r;
        try (Progress p = Progress.start("train " + c.policy(), "steps", c.steps(), true)) {
            r = trainer.train(resume, p);
        }
        List<String> instructions = trainer.instructions().map(Instructions::trainedOn).orElse(List.of());
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode n = Json.object().put("run", out.toString()).put("policy", c.policy()).put("steps", r.steps())
                    .put("final_loss", r.finalLoss()).put("steps_per_second", r.stepsPerSecond())
                    .put("train_episodes", data.train().size()).put("validation_episodes", data.validation().size());
            if (Double.isFinite(r.validationLoss())) {
                n.put("validation_loss", r.validationLoss());
            }
            n.put("checkpoint", String.valueOf(r.checkpoint()));
            if (!instructions.isEmpty()) {
                var tasks = n.putArray("instructions");
                instructions.forEach(tasks::add);
            }
            o.println(Json.pretty(n));
            return;
        }
        if (!r.trained()) {
            o.printf("the run in %s already reached %d steps; nothing to train (pass a larger --steps to train on)%n", out,
                    r.steps());
            o.println("checkpoint: " + r.checkpoint());
            return;
        }
        String validation = data.validation().isEmpty() ? "no validation (no episodes held out)"
                : String.format("validation loss %.4f on %s held out", r.validationLoss(),
                        Text.count(data.validation().size(), "episode"));
        o.printf("trained %s for %d steps%s on %s: loss %.4f, %s, %.1f steps/s%n", c.policy(), r.steps(),
                r.firstStep() > 0 ? " (from step " + r.firstStep() + ")" : "", Text.count(data.train().size(), "episode"),
                r.finalLoss(), validation, r.stepsPerSecond());
        if (!instructions.isEmpty()) {
            o.printf("follows instructions: trained on %s (policy.json lists them)%n", Text.count(instructions.size(), "task"));
        }
        o.println("checkpoint: " + r.checkpoint());
    }

    /**
     * The training kind of a policy type that trains through its own trainer, where the run is of
     * one: asked by --policy or the config file, or the run resumed is one.
     */
    private Optional<TrainingKind> ownTraining() {
        if (policy != null) {
            return TrainingKinds.of(policy);
        }
        if (resume) {
            return RunKinds.of(out).map(RunKind::type).flatMap(TrainingKinds::of);
        }
        return config == null ? Optional.empty() : TrainingKinds.of(Json.readTree(config).path("policy").asText());
    }

    private void trainOwn(TrainingKind kind, RunDirectory run) {
        if ((mix == null) == (dataset == null)) {
            throw new ParameterException(spec.commandLine(), "give the data of a " + kind.policy()
                    + " policy: --mix DIR:WEIGHT,... or --dataset DIR");
        }
        if ((steps != null && steps < 1) || (batch != null && batch < 1) || (seed != null && seed < 0)) {
            throw new ParameterException(spec.commandLine(), "--steps and --batch must be positive and --seed not negative");
        }
        TrainOutcome r = kind.train(new TrainRequest(run, Optional.ofNullable(dataset), Optional.ofNullable(mix),
                Optional.ofNullable(config), Optional.ofNullable(steps), Optional.ofNullable(batch), Optional.ofNullable(seed),
                resume, ignoreInstructions));
        print(spec.commandLine().getOut(), r, json);
    }

    /** A training kind's outcome, as text or as JSON. */
    static void print(PrintWriter o, TrainOutcome r, boolean json) {
        if (json) {
            o.println(Json.pretty(r.json()));
        } else {
            r.lines().forEach(o::println);
        }
    }

    /**
     * Defaults, then the config file, then flags. A resumed run keeps its own config: the file and
     * flags given again may repeat it, and only the steps may differ.
     */
    private TrainConfig resolveConfig(RunDirectory run) {
        if (policy != null && !PolicyTypes.registry().has(policy)) {
            List<String> known = new java.util.ArrayList<>(PolicyTypes.registry().names());
            known.addAll(TrainingKinds.policies());
            throw new ParameterException(spec.commandLine(), "--policy must be one of " + known + ", got '" + policy + "'");
        }
        if ((steps != null && steps < 1) || (batch != null && batch < 1) || (seed != null && seed < 0)) {
            throw new ParameterException(spec.commandLine(), "--steps and --batch must be positive and --seed not negative");
        }
        TrainConfig base = resume
                ? TrainConfig.of(run)
                : TrainConfig.defaults();
        TrainConfig c = config == null ? base : TrainConfig.read(Json.readTree(config), config.toString(), base);
        c = with(c, policy, steps, batch, seed);
        if (resume) {
            List<String> changed = c.changesFrom(base);
            if (!changed.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--resume continues the run with its own config ("
                        + run.config() + "); these differ from it: " + String.join(", ", changed) + "; only --steps may change");
            }
        }
        return c;
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
