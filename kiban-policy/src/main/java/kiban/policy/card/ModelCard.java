package kiban.policy.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import kiban.core.json.Json;

/**
 * What a checkpoint is, what it was trained on and how it did: the content of a run's
 * {@code model_card.json} and {@code MODEL_CARD.md}. Numbers a run does not tell are NaN (or
 * empty), and {@link #unknown} says why.
 *
 * @param name the run folder's name
 * @param policy the policy type ({@code mlp}, {@code flow}, {@code diffusion}, {@code act}, {@code foundation})
 * @param written when the card was written (ISO-8601, UTC)
 * @param step the step of the newest complete checkpoint, which the card describes (0: none)
 * @param parameters the network's parameter count (every parameter, trained or frozen)
 * @param fineTunedFrom the run a fine-tuning started from; empty for a run trained from scratch
 * @param freeze which parameters the fine-tuning kept ({@code trunk} or {@code none}); empty if not fine-tuned
 * @param config the run's {@code config.json} as it was resolved (an empty object where unknown)
 * @param validationLoss the last validation loss logged (mean over embodiments for a foundation run)
 * @param system the Java, OS and engine the run was trained on, from its lineage
 * @param heldOut a foundation run's held-out figures by embodiment ({@code held_out.json})
 */
public record ModelCard(String name, String policy, String written, KibanBuild kiban, long step, OptionalLong parameters,
        List<CardEmbodiment> embodiments, List<CardDataset> data, String fineTunedFrom, String freeze, JsonNode config,
        double finalLoss, double validationLoss, Map<String, String> system, Map<String, HeldOutFigures> heldOut,
        List<CardEvaluation> evaluations, List<String> unknown) {

    /** Version of {@code model_card.json}'s layout. */
    public static final int FORMAT_VERSION = 1;

    /** What the card says where the run does not tell. */
    public static final String UNKNOWN = "unknown";

    /** One embodiment's held-out figures: sampled against recorded chunks (normalised MSE), and the flow loss. */
    public record HeldOutFigures(double actionMse, double flowLoss) {}

    public ModelCard {
        embodiments = List.copyOf(embodiments);
        data = List.copyOf(data);
        system = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(system));
        heldOut = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(heldOut));
        evaluations = List.copyOf(evaluations);
        unknown = List.copyOf(unknown);
        config = config.deepCopy();
    }

    /** This card with {@code evaluation} added after the others. */
    public ModelCard withEvaluation(CardEvaluation evaluation) {
        List<CardEvaluation> all = new java.util.ArrayList<>(evaluations);
        all.add(evaluation);
        return new ModelCard(name, policy, written, kiban, step, parameters, embodiments, data, fineTunedFrom, freeze, config,
                finalLoss, validationLoss, system, heldOut, all, unknown);
    }

    public ObjectNode toTree() {
        ObjectNode o = Json.object();
        o.put("format_version", FORMAT_VERSION);
        o.put("name", name);
        o.put("policy", policy);
        o.put("written", written);
        o.putObject("kiban").put("version", kiban.version()).put("commit", kiban.commit());
        kiban.localChanges().ifPresent(c -> ((ObjectNode) o.get("kiban")).put("local_changes", c));
        o.put("checkpoint_step", step);
        if (parameters.isPresent()) {
            o.put("parameters", parameters.getAsLong());
        } else {
            o.put("parameters", UNKNOWN);
        }
        ArrayNode emb = o.putArray("embodiments");
        embodiments.forEach(e -> emb.add(e.toTree()));
        ObjectNode training = o.putObject("training");
        ArrayNode datasets = training.putArray("datasets");
        data.forEach(d -> datasets.add(d.toTree()));
        if (!fineTunedFrom.isEmpty()) {
            training.put("fine_tuned_from", fineTunedFrom).put("freeze", freeze);
        }
        training.put("steps", step);
        number(training, "final_loss", finalLoss);
        number(training, "validation_loss", validationLoss);
        training.set("config", config.deepCopy());
        ObjectNode sys = training.putObject("system");
        system.forEach(sys::put);
        if (!heldOut.isEmpty()) {
            ObjectNode h = o.putObject("held_out");
            heldOut.forEach((e, f) -> {
                ObjectNode n = h.putObject(e);
                number(n, "action_mse", f.actionMse());
                number(n, "flow_loss", f.flowLoss());
            });
        }
        ArrayNode evals = o.putArray("evaluations");
        evaluations.forEach(e -> evals.add(e.toTree()));
        ArrayNode u = o.putArray("unknown");
        unknown.forEach(u::add);
        return o;
    }

    /** A finite number as itself, anything else as null: JSON has no NaN. */
    private static void number(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }
}
