package kiban.policy.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.policy.model.MlpNetwork;
import kiban.policy.run.TrainConfig;

/**
 * An {@code estimated-state} run's config file: the trained state policy it drives
 * ({@code state_policy}, a Kiban training run), the state features a camera estimator stands in
 * for ({@code estimate}), and every other field a training config of the estimator, an image
 * regression network ({@code mlp} over the camera's keypoints and the state features it still
 * reads). The estimator answers for the newest frame it reads ({@code observation_steps} of them,
 * default 1: more let it see motion), so the fields that shape a chunk are its own and refused here.
 *
 * <p>{@code relative_to} (default none) maps an estimated feature to the measured one it is regressed
 * relative to ({@link EstimatedFeatures}): {@code {cube_pos: tcp_pos}} for a camera in the hand.
 *
 * <p>{@code retrain_state_policy} (default false) trains the state policy again, with its own config,
 * on the estimator's readings of this dataset instead of the recorded state: a state policy
 * trained on exact state has never seen an estimate's errors and may answer them badly (highway's
 * does), while one trained on the readings learns to act on what the camera gives.
 *
 * @param estimatorFields the estimator's training-config fields, as the file gives them
 */
public record EstimatedStateConfig(String statePolicy, List<String> estimate, Map<String, String> relativeTo,
        ObjectNode estimatorFields, boolean retrainStatePolicy) {

    public static final String POLICY = "estimated-state";
    private static final String RETRAIN = "retrain_state_policy";
    private static final String RELATIVE_TO = "relative_to";
    private static final List<String> FIXED = List.of("horizon", "action_steps", "delta_actions");

    public EstimatedStateConfig {
        estimate = List.copyOf(estimate);
        relativeTo = Collections.unmodifiableMap(new LinkedHashMap<>(relativeTo));
        estimatorFields = estimatorFields.deepCopy();
    }

    /** A config that keeps the state policy as it was trained. */
    public EstimatedStateConfig(String statePolicy, List<String> estimate, ObjectNode estimatorFields) {
        this(statePolicy, estimate, Map.of(), estimatorFields, false);
    }

    /** Reads a config file's tree; errors name {@code source} and the field. */
    public static EstimatedStateConfig read(JsonNode tree, String source) {
        FieldReader r = FieldReader.root(tree, source);
        if (!tree.isObject()) {
            throw r.invalid("a config object", FieldReader.describe(tree));
        }
        if (!POLICY.equals(r.optText("policy", POLICY))) {
            throw r.require("policy").invalid("\"" + POLICY + "\"", FieldReader.describe(tree.get("policy")));
        }
        String statePolicy = r.requireText("state_policy");
        List<String> estimate = r.requireList("estimate", v -> featureName(v, "a state feature's name"));
        Map<String, String> relativeTo = r.optMap(RELATIVE_TO, v -> featureName(v, "the name of a measured state feature"));
        boolean retrain = r.optBoolean(RETRAIN, false);
        ObjectNode fields = ((ObjectNode) tree).deepCopy();
        fields.remove(List.of("policy", "state_policy", "estimate", RELATIVE_TO, RETRAIN));
        for (String f : FIXED) {
            if (fields.has(f)) {
                throw new InvalidInputException(source, f, "no " + f + ": the estimator estimates the state at the newest "
                        + "frame it reads", FieldReader.describe(fields.get(f)));
            }
        }
        EstimatedStateConfig c = new EstimatedStateConfig(statePolicy, estimate, relativeTo, fields, retrain);
        c.estimator(List.of(), source); // every estimator field checked now, before any data is read
        return c;
    }

    /** {@code v} as a feature's name: non-blank text, else an error saying it should be {@code expected}. */
    private static String featureName(FieldReader v, String expected) {
        if (!v.node().isTextual() || v.node().asText().isBlank()) {
            throw v.invalid(expected, FieldReader.describe(v.node()));
        }
        return v.node().asText();
    }

    /**
     * The estimator's training config, reading {@code readFromState} beside the camera unless the
     * file names others ({@code state_features}, which may not name an estimated feature).
     */
    public TrainConfig estimator(List<String> readFromState, String source) {
        ObjectNode t = estimatorFields.deepCopy();
        t.put("policy", MlpNetwork.TYPE).put("horizon", 1).put("action_steps", 1);
        if (!t.has("observation_steps")) {
            t.put("observation_steps", 1);
        }
        if (t.has("state_features")) {
            for (JsonNode n : t.get("state_features")) {
                if (estimate.contains(n.asText())) {
                    throw new InvalidInputException(source, "state_features", "state features the estimator may read, not "
                            + "the estimated " + estimate, "\"" + n.asText() + "\"");
                }
            }
        } else if (!readFromState.isEmpty()) {
            t.set("state_features", Json.MAPPER.valueToTree(readFromState));
        }
        TrainConfig c = TrainConfig.read(t, source, TrainConfig.defaults());
        if (c.imageFeatures().isEmpty()) {
            throw new InvalidInputException(source, "image_features", "the cameras to estimate "
                    + estimate + " from, such as [observation.images.image]", "none");
        }
        return c;
    }

    /** This config with the fields the command line set ({@code null} where a flag was not given). */
    public EstimatedStateConfig withFlags(Long steps, Integer batch, Long seed) {
        ObjectNode t = estimatorFields.deepCopy();
        if (steps != null) {
            t.put("steps", steps);
        }
        if (batch != null) {
            t.put("batch", batch);
        }
        if (seed != null) {
            t.put("seed", seed);
        }
        return new EstimatedStateConfig(statePolicy, estimate, relativeTo, t, retrainStatePolicy);
    }

    /** The file form, as {@link #read} reads it. */
    public ObjectNode toTree() {
        ObjectNode o = Json.object().put("policy", POLICY).put("state_policy", statePolicy);
        estimate.forEach(o.putArray("estimate")::add);
        if (!relativeTo.isEmpty()) {
            relativeTo.forEach(o.putObject(RELATIVE_TO)::put);
        }
        if (retrainStatePolicy) {
            o.put(RETRAIN, true);
        }
        o.setAll(estimatorFields.deepCopy());
        return o;
    }

    /** The state policy's folder, as given (relative to the working directory where it is relative). */
    public Path statePolicyDir() {
        return Path.of(statePolicy);
    }
}
