package kiban.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.json.Json;
import kiban.policy.foundation.FoundationCheckpoint;
import kiban.policy.foundation.FoundationConfig;
import kiban.policy.foundation.FoundationTrainer;
import kiban.policy.foundation.FoundationTraining;
import kiban.policy.foundation.MixData;
import kiban.policy.foundation.MixSource;
import kiban.policy.run.RunDirectory;
import kiban.policy.train.PolicyTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kiban finetune}: a foundation checkpoint adapted to a new task or a new embodiment from a
 * few demonstrations, into a run folder of its own (the checkpoint it starts from is left as it is).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a foundation policy (kiban train --policy foundation) on a LeRobot dataset (v3.0 or v2.1, with "
                + "or without Kiban's metadata): a new task of an embodiment it knows, or a new embodiment, whose state and "
                + "action heads are added.")
final class FinetuneCommand implements Runnable {

    /** Fine-tuning's defaults, where they differ from pretraining's: fewer steps at a lower rate, as Octo and GR00T fine-tune. */
    static final long STEPS = 2000;
    static final double LEARNING_RATE = 1e-4;
    static final long WARMUP_STEPS = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "RUN", description = "The foundation run to start from.")
    Path from;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "The demonstrations to fine-tune on.")
    Path dataset;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "A new or empty run folder, or the run to --resume.")
    Path out;

    @Option(names = "--freeze", paramLabel = "trunk|none",
            description = "trunk: train only the embodiments' state and action heads; none: train everything (default: none, "
                    + "or trunk with --lora).")
    String freeze;

    @Option(names = "--lora", paramLabel = "RANK", description = "Train low-rank adapters of this rank on the frozen trunk's "
            + "projections (LoRA), besides the embodiments' heads.")
    Integer lora;

    @Option(names = "--image-features", split = ",", paramLabel = "FEATURE",
            description = "Video features of the dataset its embodiment reads through cameras of its own (image tokens), "
                    + "such as observation.images.top; default: the foundation run's cameras for an embodiment it knows, "
                    + "none for a new one.")
    List<String> imageFeatures;

    @Option(names = "--steps", description = "Optimisation steps (default: " + STEPS + ").")
    Long steps;

    @Option(names = "--batch", description = "Batch size (default: the foundation run's).")
    Integer batch;

    @Option(names = "--learning-rate", description = "Peak learning rate (default: " + LEARNING_RATE + ").")
    Double learningRate;

    @Option(names = "--seed", description = "Seed of new weights, noise and data order (default: the foundation run's).")
    Long seed;

    @Option(names = "--resume", description = "Continue the fine-tuning run in --out from its newest checkpoint.")
    boolean resume;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public void run() {
        RunDirectory run = new RunDirectory(out);
        PolicyTrainer.checkRunFolder(run, resume);
        FoundationTrainer.Freeze frozen;
        try {
            frozen = FoundationTrainer.Freeze.parse(freeze != null ? freeze : lora != null ? "trunk" : "none", "--freeze");
        } catch (kiban.core.error.InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), "--freeze must be trunk or none, got '" + freeze + "'");
        }
        if (lora != null && (lora < 1 || lora > 256)) {
            throw new ParameterException(spec.commandLine(), "--lora must be a rank in 1-256, got " + lora);
        }
        if (lora != null && frozen == FoundationTrainer.Freeze.NONE) {
            throw new ParameterException(spec.commandLine(), "--lora adapts a frozen trunk; leave out --freeze none");
        }
        if ((steps != null && steps < 1) || (batch != null && batch < 1) || (seed != null && seed < 0)
                || (learningRate != null && !(learningRate > 0 && learningRate < 1))) {
            throw new ParameterException(spec.commandLine(), "--steps and --batch must be positive, --seed not negative and "
                    + "--learning-rate in (0, 1)");
        }
        FoundationCheckpoint base = FoundationCheckpoint.open(from);
        FoundationConfig c = resume ? FoundationConfig.read(Json.readTree(run.config()), run.config().toString(), base.config())
                : base.config().with(tree -> tree.put("steps", STEPS).put("learning_rate", LEARNING_RATE)
                        .put("warmup_steps", WARMUP_STEPS));
        c = FoundationTraining.withFlags(c, "steps", steps, "batch", batch, "learning_rate", learningRate, "seed", seed,
                "lora_rank", lora);
        if (imageFeatures != null && !resume) {
            c = withCameras(c, MixData.embodiment(dataset), imageFeatures);
        }
        List<MixData> data = FoundationTraining.read(List.of(new MixSource(dataset, 1)), c, false);
        var r = FoundationTraining.train(c, data, run, Optional.of(new FoundationTrainer.Base(base, frozen)), resume,
                "finetune foundation");
        TrainCommand.print(spec.commandLine().getOut(), FoundationTraining.outcome(out, data, r, "fine-tuned"), json);
    }

    /** {@code c} with {@code embodiment} reading {@code features}: as the config's image_features, so that the run records it. */
    private FoundationConfig withCameras(FoundationConfig c, String embodiment, List<String> features) {
        List<String> known = c.imageFeatures(embodiment);
        if (!known.isEmpty() && !known.equals(features)) {
            throw new ParameterException(spec.commandLine(), "--image-features " + String.join(",", features) + ": the "
                    + "foundation run's embodiment " + embodiment + " reads " + known + "; fine-tune it with those");
        }
        try {
            return c.with(tree -> {
                var cameras = tree.has("image_features") ? (com.fasterxml.jackson.databind.node.ObjectNode) tree.get("image_features")
                        : tree.putObject("image_features");
                var list = cameras.putArray(embodiment);
                features.forEach(list::add);
            });
        } catch (kiban.core.error.InvalidInputException e) {
            throw new ParameterException(spec.commandLine(), "--image-features: " + e.getMessage());
        }
    }
}
