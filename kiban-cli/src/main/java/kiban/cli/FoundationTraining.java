package kiban.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.foundation.FoundationConfig;
import kiban.policy.foundation.FoundationEmbodiment;
import kiban.policy.foundation.FoundationTrainer;
import kiban.policy.foundation.MixData;
import kiban.policy.foundation.MixSource;
import kiban.policy.run.RunDirectory;

/**
 * What {@code kiban train --policy foundation} and {@code kiban finetune} share: reading the
 * datasets, training with a progress bar, and reporting each embodiment's held-out figures.
 */
final class FoundationTraining {

    private FoundationTraining() {}

    /**
     * {@code c} with the config fields the command line set: pairs of a field's name and its flag's
     * value, {@code null} where the flag was not given.
     */
    static FoundationConfig withFlags(FoundationConfig c, Object... fieldsAndValues) {
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
    static List<MixData> read(List<MixSource> mix, FoundationConfig c, boolean ignoreInstructions) {
        return mix.stream().map(m -> {
            MixData d = MixData.load(m, c.validationFraction());
            return ignoreInstructions ? new MixData(d.embodiment(), d.env(), d.weight(), d.data().withoutInstructions()) : d;
        }).toList();
    }

    static FoundationTrainer.Result train(FoundationConfig c, List<MixData> data, RunDirectory run,
            Optional<FoundationTrainer.Base> base, boolean resume, String label) {
        try (Progress p = Progress.start(label, "steps", c.steps(), true)) {
            return new FoundationTrainer(c, data, run, base).train(resume, p);
        }
    }

    static void report(PrintWriter o, Path out, List<MixData> data, FoundationTrainer.Result r, boolean json, String verb) {
        if (json) {
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
            o.println(Json.pretty(n));
            return;
        }
        if (!r.trained()) {
            o.printf("the run in %s already reached %d steps; nothing to train (pass a larger --steps to train on)%n", out, r.steps());
            o.println("checkpoint: " + r.checkpoint());
            return;
        }
        int episodes = data.stream().mapToInt(d -> d.data().train().size()).sum();
        o.printf("%s the foundation policy for %d steps%s on %s of %s: loss %.4f, %.1f steps/s%n", verb, r.steps(),
                r.firstStep() > 0 ? " (from step " + r.firstStep() + ")" : "", Text.count(episodes, "episode"),
                Text.count(data.size(), "dataset"), r.finalLoss(), r.stepsPerSecond());
        for (FoundationEmbodiment e : r.embodiments()) {
            Double error = r.heldOutActionError().get(e.name());
            o.printf("  %-22s %2d state, %2d action elements, %s%s%n", e.name(), e.metadata().observationDim(),
                    e.metadata().actionDim(), Text.count(e.trainedOn().size(), "instruction"),
                    error == null || !Double.isFinite(error) ? "" : String.format(", held-out action MSE %.4f (normalised)", error));
        }
        o.println("checkpoint: " + r.checkpoint());
    }
}
