package kiban.policy.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.normalize.NormalizationMode;

/**
 * Everything that decides a training run. Defaults follow Diffusion Policy's low-dimensional
 * PushT setup where it has one (2 observation steps, horizon 16, 8 executed actions, AdamW with
 * weight decay 1e-6, cosine schedule with warm-up, EMA with power 0.75). The {@code act} policy's
 * transformer defaults to ACT's 4 encoder layers and 1 decoder layer, narrowed to width 128 with 4 heads.
 * {@code flowNoiseScale} ({@code flow_noise_scale}) scales the noise a flow policy's sampling starts from:
 * below 1 it samples nearer the most likely chunk, a sampling temperature chosen at evaluation time.
 * {@code flowHead} ({@code flow_head}) picks a flow policy's network: {@code mlp} reads observations, noisy
 * chunk and time concatenated; {@code film} is a residual MLP whose blocks they modulate, one width repeated in {@code hidden}.
 * {@code deltaActions} (file field {@code delta_actions: {action_feature: observation_feature}})
 * trains those action features as steps from the observation feature of the same frame.
 * {@code stateFeatures} (file field {@code state_features}, empty: all) names the state features
 * the network reads; {@code imageFeatures} ({@code image_features}, empty: none) names the
 * dataset's video features it reads through a per-camera CNN of {@code imageFeatureDim}
 * ({@code image_feature_dim}) outputs, Diffusion Policy's image variant (64 as its keypoints).
 */
public record TrainConfig(
        String policy,
        long steps,
        int batch,
        double learningRate,
        double weightDecay,
        long warmupSteps,
        double gradClipNorm,
        double emaPower,
        double emaMaxDecay,
        long seed,
        long checkpointEvery,
        long validateEvery,
        int observationSteps,
        int horizon,
        int actionSteps,
        List<Integer> hidden,
        int flowSteps,
        double flowNoiseScale,
        String flowHead,
        int modelDim,
        int heads,
        int encoderLayers,
        int decoderLayers,
        NormalizationMode normalization,
        double validationFraction,
        List<kiban.core.policy.DeltaPair> deltaActions,
        List<String> stateFeatures,
        List<String> imageFeatures,
        int imageFeatureDim) {

    public static final List<String> POLICIES = List.of("mlp", "flow", "diffusion", "act");
    /** Flow heads: an MLP over (observations, noisy chunk, time) concatenated; a residual MLP modulated by them (FiLM). */
    public static final List<String> FLOW_HEADS = List.of("mlp", "film");

    public TrainConfig {
        hidden = List.copyOf(hidden);
        deltaActions = List.copyOf(deltaActions);
        stateFeatures = List.copyOf(stateFeatures);
        imageFeatures = List.copyOf(imageFeatures);
    }

    public static TrainConfig defaults() {
        return new TrainConfig("flow", 5000, 256, 1e-3, 1e-6, 200, 1.0, 0.75, 0.999, 0, 1000, 500, 2, 16, 8,
                List.of(512, 512, 512), 10, 1.0, "mlp", 128, 4, 4, 1, NormalizationMode.MIN_MAX, 0.05, List.of(),
                List.of(), List.of(), 64);
    }

    /** A copy with the fields {@code changes} sets on this config's JSON form, validated as a file would be. */
    public TrainConfig with(java.util.function.Consumer<ObjectNode> changes) {
        ObjectNode tree = toTree();
        changes.accept(tree);
        return read(tree, "config", this);
    }

    /** Reads a config file: each field present replaces the default; unknown fields are refused. */
    public static TrainConfig read(JsonNode tree, String source, TrainConfig base) {
        FieldReader r = FieldReader.root(tree, source);
        var known = java.util.Set.of("policy", "steps", "batch", "learning_rate", "weight_decay", "warmup_steps",
                "grad_clip_norm", "ema_power", "ema_max_decay", "seed", "checkpoint_every", "validate_every",
                "observation_steps", "horizon", "action_steps", "hidden", "flow_steps", "flow_noise_scale", "flow_head", "model_dim", "heads",
                "encoder_layers", "decoder_layers", "normalization",
                "validation_fraction", "delta_actions", "state_features", "image_features", "image_feature_dim",
                "format_version");
        tree.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new kiban.core.error.InvalidInputException(source, name, "one of the config fields "
                        + new java.util.TreeSet<>(known), "an unknown field");
            }
        });
        String policy = base.policy;
        if (r.has("policy")) {
            policy = r.requireText("policy");
            if (!POLICIES.contains(policy)) {
                throw r.require("policy").invalid("one of " + POLICIES, "\"" + policy + "\"");
            }
        }
        NormalizationMode mode = base.normalization;
        if (r.has("normalization")) {
            FieldReader m = r.require("normalization");
            mode = NormalizationMode.fromWireName(m.node().asText()).orElseThrow(
                    () -> m.invalid("one of " + NormalizationMode.choices(), FieldReader.describe(m.node())));
        }
        int horizon = r.optInt("horizon", 1, 1024, base.horizon);
        String flowHead = base.flowHead;
        if (r.has("flow_head")) {
            flowHead = r.requireText("flow_head");
            if (!FLOW_HEADS.contains(flowHead)) {
                throw r.require("flow_head").invalid("one of " + FLOW_HEADS, "\"" + flowHead + "\"");
            }
        }
        TrainConfig c = new TrainConfig(policy,
                r.optInt("steps", 1, 1_000_000_000, (int) base.steps),
                r.optInt("batch", 1, 65536, base.batch),
                r.optDouble("learning_rate", 1e-9, 1, base.learningRate),
                r.optDouble("weight_decay", 0, 1, base.weightDecay),
                r.optInt("warmup_steps", 0, 1_000_000_000, (int) base.warmupSteps),
                r.optDouble("grad_clip_norm", 1e-6, 1e6, base.gradClipNorm),
                r.optDouble("ema_power", 0, 10, base.emaPower),
                r.optDouble("ema_max_decay", 0, 0.999999, base.emaMaxDecay),
                r.optInt("seed", 0, Integer.MAX_VALUE, (int) base.seed),
                r.optInt("checkpoint_every", 1, 1_000_000_000, (int) base.checkpointEvery),
                r.optInt("validate_every", 1, 1_000_000_000, (int) base.validateEvery),
                r.optInt("observation_steps", 1, 64, base.observationSteps),
                horizon,
                r.optInt("action_steps", 1, horizon, Math.min(base.actionSteps, horizon)),
                r.has("hidden") ? r.requireList("hidden", TrainConfig::width) : base.hidden,
                r.optInt("flow_steps", 1, 100, base.flowSteps),
                r.optDouble("flow_noise_scale", 0, 10, base.flowNoiseScale),
                flowHead,
                r.optInt("model_dim", 1, 4096, base.modelDim),
                r.optInt("heads", 1, 64, base.heads),
                r.optInt("encoder_layers", 0, 64, base.encoderLayers),
                r.optInt("decoder_layers", 1, 64, base.decoderLayers),
                mode,
                r.optDouble("validation_fraction", 0, 0.5, base.validationFraction),
                r.has("delta_actions") ? deltaPairs(r) : base.deltaActions,
                r.has("state_features") ? r.requireList("state_features", TrainConfig::name) : base.stateFeatures,
                r.has("image_features") ? r.requireList("image_features", TrainConfig::name) : base.imageFeatures,
                r.optInt("image_feature_dim", 1, 4096, base.imageFeatureDim));
        if (c.modelDim % c.heads != 0) {
            throw new kiban.core.error.InvalidInputException(source, "model_dim", "a multiple of heads (" + c.heads + ")",
                    String.valueOf(c.modelDim));
        }
        if (c.flowHead.equals("film") && c.hidden.stream().distinct().count() != 1) {
            throw new kiban.core.error.InvalidInputException(source, "hidden",
                    "one width repeated once per residual block (flow_head: film)", c.hidden.toString());
        }
        return c;
    }

    private static List<kiban.core.policy.DeltaPair> deltaPairs(FieldReader r) {
        return r.optMap("delta_actions", v -> {
            if (!v.node().isTextual() || v.node().asText().isBlank()) {
                throw v.invalid("an observation feature name", FieldReader.describe(v.node()));
            }
            return v.node().asText();
        }).entrySet().stream().map(e -> new kiban.core.policy.DeltaPair(e.getKey(), e.getValue())).toList();
    }

    private static String name(FieldReader v) {
        if (!v.node().isTextual() || v.node().asText().isBlank()) {
            throw v.invalid("a feature name", FieldReader.describe(v.node()));
        }
        return v.node().asText();
    }

    private static int width(FieldReader h) {
        if (!h.node().isIntegralNumber() || h.node().asInt() < 1 || h.node().asInt() > 65536) {
            throw h.invalid("a layer width in [1, 65536]", FieldReader.describe(h.node()));
        }
        return h.node().asInt();
    }

    /**
     * The fields but {@code steps} in which this config differs from {@code run}'s, each as
     * {@code "batch 16 (the run: 8)"}: what may not change when a run is resumed.
     */
    public List<String> changesFrom(TrainConfig run) {
        ObjectNode now = toTree();
        ObjectNode was = run.toTree();
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        now.fieldNames().forEachRemaining(names::add);
        was.fieldNames().forEachRemaining(names::add);
        List<String> changed = new java.util.ArrayList<>();
        for (String name : names) {
            if (!name.equals("steps") && !java.util.Objects.equals(now.get(name), was.get(name))) {
                changed.add(name + " " + text(now.get(name)) + " (the run: " + text(was.get(name)) + ")");
            }
        }
        return changed;
    }

    private static String text(JsonNode value) {
        return value == null ? "none" : value.isTextual() ? value.asText() : value.toString();
    }

    public ObjectNode toTree() {
        ObjectNode o = Json.object();
        o.put("format_version", 1);
        o.put("policy", policy);
        o.put("steps", steps);
        o.put("batch", batch);
        o.put("learning_rate", learningRate);
        o.put("weight_decay", weightDecay);
        o.put("warmup_steps", warmupSteps);
        o.put("grad_clip_norm", gradClipNorm);
        o.put("ema_power", emaPower);
        o.put("ema_max_decay", emaMaxDecay);
        o.put("seed", seed);
        o.put("checkpoint_every", checkpointEvery);
        o.put("validate_every", validateEvery);
        o.put("observation_steps", observationSteps);
        o.put("horizon", horizon);
        o.put("action_steps", actionSteps);
        var h = o.putArray("hidden");
        hidden.forEach(h::add);
        o.put("flow_steps", flowSteps);
        o.put("flow_noise_scale", flowNoiseScale);
        o.put("flow_head", flowHead);
        o.put("model_dim", modelDim);
        o.put("heads", heads);
        o.put("encoder_layers", encoderLayers);
        o.put("decoder_layers", decoderLayers);
        o.put("normalization", normalization.wireName());
        o.put("validation_fraction", validationFraction);
        if (!deltaActions.isEmpty()) {
            ObjectNode d = o.putObject("delta_actions");
            deltaActions.forEach(p -> d.put(p.action(), p.observation()));
        }
        // Written only when used, so state-only runs keep their config files byte for byte.
        if (!stateFeatures.isEmpty()) {
            var a = o.putArray("state_features");
            stateFeatures.forEach(a::add);
        }
        if (!imageFeatures.isEmpty()) {
            var a = o.putArray("image_features");
            imageFeatures.forEach(a::add);
            o.put("image_feature_dim", imageFeatureDim);
        }
        return o;
    }
}
