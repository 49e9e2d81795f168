package kiban.policy.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import kiban.core.error.InvalidInputException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.normalize.NormalizationMode;
import kiban.policy.data.InstructionTokens;
import kiban.policy.nn.ImageEncoders;
import kiban.policy.run.TrainConfig;

/**
 * Everything that decides a foundation training run: the optimisation (AdamW, cosine schedule with
 * warm-up, EMA, as the other policies train), the chunk (pi0's and Diffusion Policy's 16 rows, 8
 * executed), the trunk (a small transformer: width 128, 4 heads, 4 layers, sized for a 2-core CPU)
 * and the instruction tokenizer (1,024 hashed word ids, 16 words). {@code loraRank} ({@code lora_rank},
 * 0: none) gives the trunk's projections low-rank adapters, which fine-tuning then trains instead of
 * the trunk. {@code deltaActions} ({@code delta_actions: {embodiment: {action_feature: observation_feature}}})
 * trains those embodiments' action features as steps from the observation, as a single policy's
 * {@code delta_actions} does. {@code imageFeatures} ({@code image_features: {embodiment: [video feature, ...]}})
 * gives those embodiments image tokens: each camera's frames through its own CNN ({@code image_encoder},
 * {@code image_feature_dim} outputs, as a single image policy's), one token per camera and observation step.
 * {@code stateFeatures} ({@code state_features: {embodiment: [feature, ...]}}) has an embodiment's heads read
 * only those state features, as a single policy's {@code state_features} does (a camera may show the rest).
 * Read from a config file whose fields replace the defaults; unknown fields are refused.
 */
public record FoundationConfig(
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
        int modelDim,
        int heads,
        int layers,
        int flowSteps,
        int vocabulary,
        int maxTokens,
        NormalizationMode normalization,
        double validationFraction,
        int loraRank,
        java.util.Map<String, List<kiban.core.policy.DeltaPair>> deltaActions,
        java.util.Map<String, List<String>> imageFeatures,
        int imageFeatureDim,
        String imageEncoder,
        java.util.Map<String, List<String>> stateFeatures) {

    public static final String POLICY = FoundationNetwork.TYPE;

    private static final Set<String> FIELDS = Set.of("policy", "steps", "batch", "learning_rate", "weight_decay",
            "warmup_steps", "grad_clip_norm", "ema_power", "ema_max_decay", "seed", "checkpoint_every", "validate_every",
            "observation_steps", "horizon", "action_steps", "model_dim", "heads", "layers", "flow_steps", "vocabulary",
            "max_tokens", "normalization", "validation_fraction", "lora_rank", "delta_actions", "image_features",
            "image_feature_dim", "image_encoder", "state_features", "format_version");

    public FoundationConfig {
        deltaActions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(deltaActions));
        imageFeatures = copy(imageFeatures);
        stateFeatures = copy(stateFeatures);
        if (!ImageEncoders.NAMES.contains(imageEncoder)) {
            throw new InvalidInputException("config", "image_encoder", "one of " + ImageEncoders.NAMES, "\"" + imageEncoder + "\"");
        }
        if (modelDim % heads != 0) {
            throw new InvalidInputException("config", "model_dim", "a multiple of heads (" + heads + ")", String.valueOf(modelDim));
        }
        if (actionSteps > horizon) {
            throw new InvalidInputException("config", "action_steps", "at most the horizon (" + horizon + ")",
                    String.valueOf(actionSteps));
        }
    }

    public static FoundationConfig defaults() {
        return new FoundationConfig(20000, 128, 3e-4, 1e-4, 500, 1.0, 0.75, 0.999, 0, 1000, 1000, 2, 16, 8, 128, 4, 4, 10,
                1024, 16, NormalizationMode.MIN_MAX, 0.05, 0, java.util.Map.of(), java.util.Map.of(), 64, ImageEncoders.CNN,
                java.util.Map.of());
    }

    /** An unmodifiable, sorted copy of a map of embodiment to names. */
    private static java.util.Map<String, List<String>> copy(java.util.Map<String, List<String>> byEmbodiment) {
        java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
        byEmbodiment.forEach((name, names) -> out.put(name, List.copyOf(names)));
        return java.util.Collections.unmodifiableMap(out);
    }

    public InstructionTokens tokens() {
        return new InstructionTokens(vocabulary, maxTokens);
    }

    /** The optimiser's and EMA's settings as the shared training step reads them. */
    TrainConfig optimisation() {
        return TrainConfig.defaults().with(t -> t.put("weight_decay", weightDecay).put("grad_clip_norm", gradClipNorm)
                .put("ema_power", emaPower).put("ema_max_decay", emaMaxDecay));
    }

    /** A copy with the fields {@code changes} sets on this config's JSON form, validated as a file would be. */
    public FoundationConfig with(java.util.function.Consumer<ObjectNode> changes) {
        ObjectNode tree = toTree();
        changes.accept(tree);
        return read(tree, "config", this);
    }

    /** Reads a config file over {@code base}: each field present replaces base's; unknown fields are refused. */
    public static FoundationConfig read(JsonNode tree, String source, FoundationConfig base) {
        FieldReader r = FieldReader.root(tree, source);
        tree.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidInputException(source, name, "one of the foundation config fields " + new TreeSet<>(FIELDS),
                        "an unknown field");
            }
        });
        if (r.has("policy") && !POLICY.equals(r.requireText("policy"))) {
            throw r.require("policy").invalid("\"" + POLICY + "\" in a foundation config", "\"" + r.requireText("policy") + "\"");
        }
        NormalizationMode mode = r.has("normalization") ? NormalizationMode.read(r.require("normalization")) : base.normalization;
        int horizon = r.optInt("horizon", 1, 256, base.horizon);
        return new FoundationConfig(
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
                r.optInt("observation_steps", 1, 16, base.observationSteps),
                horizon,
                r.optInt("action_steps", 1, horizon, Math.min(base.actionSteps, horizon)),
                r.optInt("model_dim", 8, 4096, base.modelDim),
                r.optInt("heads", 1, 64, base.heads),
                r.optInt("layers", 1, 64, base.layers),
                r.optInt("flow_steps", 1, 100, base.flowSteps),
                r.optInt("vocabulary", 1, 1 << 20, base.vocabulary),
                r.optInt("max_tokens", 1, 512, base.maxTokens),
                mode,
                r.optDouble("validation_fraction", 0, 0.5, base.validationFraction),
                r.optInt("lora_rank", 0, 256, base.loraRank),
                r.has("delta_actions") ? r.optMap("delta_actions", FoundationConfig::deltaPairs) : base.deltaActions,
                r.has("image_features") ? r.optMap("image_features", e -> names(e, "video features, such as "
                        + "[observation.images.top]")) : base.imageFeatures,
                r.optInt("image_feature_dim", 1, 4096, base.imageFeatureDim),
                r.has("image_encoder") ? imageEncoder(r) : base.imageEncoder,
                r.has("state_features") ? r.optMap("state_features", e -> names(e, "state features, such as [agent_pos]"))
                        : base.stateFeatures);
    }

    private static String imageEncoder(FieldReader r) {
        String name = r.requireText("image_encoder");
        if (!ImageEncoders.NAMES.contains(name)) {
            throw r.require("image_encoder").invalid("one of " + ImageEncoders.NAMES, "\"" + name + "\"");
        }
        return name;
    }

    /** One embodiment's cameras or state features: a non-empty list of distinct names. */
    private static List<String> names(FieldReader e, String what) {
        if (!e.node().isArray() || e.node().isEmpty()) {
            throw e.invalid("a list of the embodiment's " + what, FieldReader.describe(e.node()));
        }
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < e.node().size(); i++) {
            JsonNode v = e.node().get(i);
            if (!v.isTextual() || v.asText().isBlank() || out.contains(v.asText())) {
                throw e.invalid("distinct names of " + what, FieldReader.describe(e.node()));
            }
            out.add(v.asText());
        }
        return List.copyOf(out);
    }

    /** One embodiment's {@code {action_feature: observation_feature}}, as a single policy's {@code delta_actions}. */
    private static List<kiban.core.policy.DeltaPair> deltaPairs(FieldReader e) {
        if (!e.node().isObject()) {
            throw e.invalid("an object of action feature to observation feature", FieldReader.describe(e.node()));
        }
        List<kiban.core.policy.DeltaPair> out = new java.util.ArrayList<>();
        e.node().fieldNames().forEachRemaining(action -> {
            FieldReader v = e.require(action);
            if (!v.node().isTextual() || v.node().asText().isBlank()) {
                throw v.invalid("an observation feature name", FieldReader.describe(v.node()));
            }
            out.add(new kiban.core.policy.DeltaPair(action, v.node().asText()));
        });
        return List.copyOf(out);
    }

    /** The video features the embodiment {@code name} reads (none unless the config names it). */
    public List<String> imageFeatures(String name) {
        return imageFeatures.getOrDefault(name, List.of());
    }

    /** The state features the embodiment {@code name}'s heads read (all unless the config names some). */
    public List<String> stateFeatures(String name) {
        return stateFeatures.getOrDefault(name, List.of());
    }

    /** The delta actions of the embodiment {@code name} (none unless the config names it). */
    public List<kiban.core.policy.DeltaPair> deltaActions(String name) {
        return deltaActions.getOrDefault(name, List.of());
    }

    /**
     * The fields but {@code steps} in which this config differs from {@code run}'s, each as
     * {@code "batch 16 (the run: 8)"}: what may not change when a run is resumed.
     */
    public List<String> changesFrom(FoundationConfig run) {
        ObjectNode now = toTree();
        ObjectNode was = run.toTree();
        List<String> changed = new java.util.ArrayList<>();
        now.fieldNames().forEachRemaining(name -> {
            if (!name.equals("steps") && !now.get(name).equals(was.get(name))) {
                changed.add(name + " " + now.get(name).asText() + " (the run: " + was.get(name).asText() + ")");
            }
        });
        return changed;
    }

    public ObjectNode toTree() {
        ObjectNode o = Json.object();
        o.put("format_version", 1);
        o.put("policy", POLICY);
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
        o.put("model_dim", modelDim);
        o.put("heads", heads);
        o.put("layers", layers);
        o.put("flow_steps", flowSteps);
        o.put("vocabulary", vocabulary);
        o.put("max_tokens", maxTokens);
        o.put("normalization", normalization.wireName());
        o.put("validation_fraction", validationFraction);
        if (!deltaActions.isEmpty()) {
            ObjectNode d = o.putObject("delta_actions");
            deltaActions.forEach((name, pairs) -> {
                ObjectNode e = d.putObject(name);
                pairs.forEach(p -> e.put(p.action(), p.observation()));
            });
        }
        // Written only where an embodiment has cameras, so that state-only runs' configs say nothing of them.
        if (!imageFeatures.isEmpty()) {
            ObjectNode cameras = o.putObject("image_features");
            imageFeatures.forEach((name, features) -> {
                var list = cameras.putArray(name);
                features.forEach(list::add);
            });
            o.put("image_feature_dim", imageFeatureDim);
            o.put("image_encoder", imageEncoder);
        }
        if (!stateFeatures.isEmpty()) {
            ObjectNode read = o.putObject("state_features");
            stateFeatures.forEach((name, features) -> {
                var list = read.putArray(name);
                features.forEach(list::add);
            });
        }
        // Written only for a fine-tuning with adapters, so other runs' configs say nothing of them.
        if (loraRank > 0) {
            o.put("lora_rank", loraRank);
        }
        return o;
    }
}
