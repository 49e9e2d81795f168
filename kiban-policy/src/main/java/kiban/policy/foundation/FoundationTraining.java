package kiban.policy.foundation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.run.RunDirectory;
import kiban.policy.train.TrainOutcome;
import kiban.policy.train.TrainRequest;
import kiban.policy.train.TrainingKind;

/**
 * How {@code kiban train --policy foundation} trains, and what it and {@code kiban finetune}
 * share: reading the datasets, training with a progress bar, and reporting each embodiment's
 * held-out figures.
 */
public final class FoundationTraining implements TrainingKind {

    @Override
    public String policy() {
        return FoundationConfig.POLICY;
    }

    @Override
    public TrainOutcome train(TrainRequest q) {
        RunDirectory run = q.run();
        List<MixSource> sources = q.mix().isPresent() ? MixSource.parse(q.mix().get(), "--mix")
                : List.of(new MixSource(q.dataset().orElseThrow(), 1));
        FoundationConfig base = q.resume() ? FoundationConfig.read(Json.readTree(run.config()), run.config().toString(),
                FoundationConfig.defaults()) : FoundationConfig.defaults();
        FoundationConfig c = q.config().map(f -> FoundationConfig.read(Json.readTree(f), f.toString(), base)).orElse(base);
        c = withFlags(c, "steps", q.steps().orElse(null), "batch", q.batch().orElse(null), "seed", q.seed().orElse(null));
        List<MixData> data = read(sources, c, q.ignoreInstructions());
        requireEmbodimentsOfTheMixture(c, data, q.config().map(Path::toString).orElse("config"));
        FoundationTrainer.Result r = train(c, data, run, Optional.empty(), q.resume(), "train foundation");
        return outcome(run.root(), data, r, "trained");
    }

    /**
     * {@code c} with the config fields the command line set: pairs of a field's name and its flag's
     * value, {@code null} where the flag was not given.
     */
    public static FoundationConfig withFlags(FoundationConfig c, Object... fieldsAndValues) {
        return c.with(tree -> {
            for (int i = 0; i < fieldsAndValues.length; i += 2) {
                Object value = fieldsAndValues[i + 1];
                if (value != null) {
                    tree.set((String) fieldsAndValues[i], Json.MAPPER.valueToTree(value));
                }
            }
        });
    }

    /** Reads every dataset of {@code mix}, holding out {@code c}'s validation fraction of each. */
    public static List<MixData> read(List<MixSource> mix, FoundationConfig c, boolean ignoreInstructions) {
        return mix.stream().map(m -> {
            MixData d = MixData.load(m, c.validationFraction(), c::imageFeatures);
            return ignoreInstructions ? new MixData(d.embodiment(), d.env(), d.weight(), d.data().withoutInstructions()) : d;
        }).toList();
    }

    /**
     * Refuses cameras or state features for an embodiment no dataset of a pretraining mixture has:
     * most likely a misspelt name.
     */
    static void requireEmbodimentsOfTheMixture(FoundationConfig c, List<MixData> data, String source) {
        List<String> embodiments = data.stream().map(MixData::embodiment).distinct().toList();
        // In the config's field order, so that the first misspelt name is the one reported.
        List<Map.Entry<String, java.util.Set<String>>> named = List.of(Map.entry("image_features", c.imageFeatures().keySet()),
                Map.entry("state_features", c.stateFeatures().keySet()));
        for (var field : named) {
            field.getValue().stream().filter(n -> !embodiments.contains(n)).findFirst().ifPresent(n -> {
                throw new kiban.core.error.InvalidInputException(source, field.getKey() + "." + n,
                        "an embodiment of the mixture " + embodiments, "'" + n + "'");
            });
        }
    }

    public static FoundationTrainer.Result train(FoundationConfig c, List<MixData> data, RunDirectory run,
            Optional<FoundationTrainer.Base> base, boolean resume, String label) {
        try (Progress p = Progress.start(label, "steps", c.steps(), true)) {
            return new FoundationTrainer(c, data, run, base).train(resume, p);
        }
    }

    /** What a run that {@code verb} ("trained", "fine-tuned") the policy tells its user. */
    public static TrainOutcome outcome(Path out, List<MixData> data, FoundationTrainer.Result r, String verb) {
        ObjectNode n = Json.object().put("run", out.toString()).put("policy", FoundationConfig.POLICY).put("steps", r.steps())
                .put("final_loss", r.finalLoss()).put("steps_per_second", r.stepsPerSecond())
                .put("checkpoint", String.valueOf(r.checkpoint()));
        ObjectNode per = n.putObject("embodiments");
        for (FoundationEmbodiment e : r.embodiments()) {
            ObjectNode x = per.putObject(e.name());
            if (!e.env().isEmpty()) {
                x.put("env", e.env());
            }
            x.put("state_elements", e.metadata().observationDim()).put("action_elements", e.metadata().actionDim());
            var tasks = x.putArray("instructions");
            e.trainedOn().forEach(tasks::add);
            Double loss = r.validationLoss().get(e.name());
            if (loss != null && Double.isFinite(loss)) {
                x.put("validation_loss", loss);
            }
            Double error = r.heldOutActionError().get(e.name());
            if (error != null && Double.isFinite(error)) {
                x.put("held_out_action_mse", error);
            }
        }
        List<String> lines = new ArrayList<>();
        if (!r.trained()) {
            lines.add(String.format("the run in %s already reached %d steps; nothing to train (pass a larger --steps to train on)",
                    out, r.steps()));
            lines.add("checkpoint: " + r.checkpoint());
            return new TrainOutcome(lines, n);
        }
        int episodes = data.stream().mapToInt(d -> d.data().train().size()).sum();
        lines.add(String.format("%s the foundation policy for %d steps%s on %s of %s: loss %.4f, %.1f steps/s", verb, r.steps(),
                r.firstStep() > 0 ? " (from step " + r.firstStep() + ")" : "", count(episodes, "episode"),
                count(data.size(), "dataset"), r.finalLoss(), r.stepsPerSecond()));
        for (FoundationEmbodiment e : r.embodiments()) {
            Double error = r.heldOutActionError().get(e.name());
            lines.add(String.format("  %-22s %2d state, %2d action elements, %s%s", e.name(), e.metadata().observationDim(),
                    e.metadata().actionDim(), count(e.trainedOn().size(), "instruction"),
                    error == null || !Double.isFinite(error) ? "" : String.format(", held-out action MSE %.4f (normalised)", error)));
        }
        lines.add("checkpoint: " + r.checkpoint());
        return new TrainOutcome(lines, n);
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
