package kiban.policy.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import kiban.core.error.InvalidInputException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.normalize.NormalizationMode;
import kiban.core.policy.DeltaPair;
import kiban.policy.data.ImageAugmentation;
import kiban.policy.model.FlowNetwork;
import kiban.policy.model.NetworkConfig;
import kiban.policy.model.PolicyConfig;
import kiban.policy.model.PolicyType;
import kiban.policy.model.PolicyTypes;
import kiban.policy.nn.ImageEncoders;
import kiban.policy.nn.ImageEncoding;

/**
 * Everything that decides a training run: the settings every policy type shares, and the chosen
 * type's own ({@link #model()}, read and written by its {@link PolicyType}). Defaults follow
 * Diffusion Policy's low-dimensional PushT setup where it has one (2 observation steps, horizon 16,
 * 8 executed actions, AdamW with weight decay 1e-6, cosine schedule with warm-up, EMA with power 0.75).
 * {@code deltaActions} (file field {@code delta_actions: {action_feature: observation_feature}})
 * trains those action features as steps from the observation feature of the same frame.
 * {@code stateFeatures} (file field {@code state_features}, empty: all) names the state features
 * the network reads; {@code imageFeatures} ({@code image_features}, empty: none) names the
 * dataset's video features it reads through a per-camera CNN of {@code imageFeatureDim}
 * ({@code image_feature_dim}) outputs, Diffusion Policy's image variant (64 as its keypoints);
 * {@code imageAugmentation} ({@code image_crop: [height, width]}, absent: the whole frame, and
 * {@code image_jitter}, 0: none) is how training augments those frames ({@link ImageAugmentation}:
 * random crops, centre crops at inference, colour jitter).
 * {@code imageEncoding} picks that CNN ({@code image_encoder}: {@code cnn}, the first, or
 * {@code resnet}) and whether the cameras share one ({@code shared_image_encoder}), both written
 * only when they differ from the first encoder per camera, so earlier runs keep their files.
 *
 * <p>The file is flat: the types' fields stand between {@code action_steps} and
 * {@code normalization}. {@code otherTypeFields} keeps the other types' fields as the file (or the
 * defaults) set them, so that a file reads and writes back byte for byte and a type chosen later
 * ({@code --policy}) reads the values the file gave it.
 */
public record TrainConfig(
        PolicyConfig model,
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
        NormalizationMode normalization,
        double validationFraction,
        List<DeltaPair> deltaActions,
        List<String> stateFeatures,
        List<String> imageFeatures,
        int imageFeatureDim,
        ImageAugmentation imageAugmentation,
        ImageEncoding imageEncoding,
        ObjectNode otherTypeFields) implements NetworkConfig {

    /** The fields every type shares, in file order (the types' fields go after {@code action_steps}). */
    private static final List<String> SHARED = List.of("format_version", "policy", "steps", "batch", "learning_rate",
            "weight_decay", "warmup_steps", "grad_clip_norm", "ema_power", "ema_max_decay", "seed", "checkpoint_every",
            "validate_every", "observation_steps", "horizon", "action_steps", "normalization", "validation_fraction",
            "delta_actions", "state_features", "image_features", "image_feature_dim", "image_crop", "image_jitter",
            "image_encoder", "shared_image_encoder");

    public TrainConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(imageAugmentation, "imageAugmentation");
        deltaActions = List.copyOf(deltaActions);
        stateFeatures = List.copyOf(stateFeatures);
        imageFeatures = List.copyOf(imageFeatures);
        Objects.requireNonNull(imageEncoding, "imageEncoding");
        otherTypeFields = otherTypeFields.deepCopy();
        otherTypeFields.remove(PolicyTypes.registry().fields(model.type()));
    }

    @Override
    public ObjectNode otherTypeFields() {
        return otherTypeFields.deepCopy();
    }

    /** The policy type's name, the file's {@code policy}. */
    public String policy() {
        return model.type();
    }

    /**
     * The settings the named type would train with under this config: {@link #model()} for its own
     * type, else read from the fields this config carries for the others.
     */
    public PolicyConfig model(String type) {
        return type.equals(policy()) ? model : PolicyTypes.registry().get(type).read(FieldReader.root(typeFields(), "config"));
    }

    /** The config a training run's {@code config.json} holds; errors name that file. */
    public static TrainConfig of(RunDirectory run) {
        return read(Json.readTree(run.config()), run.config().toString(), defaults());
    }

    public static TrainConfig defaults() {
        ObjectNode others = Json.object();
        for (PolicyType t : PolicyTypes.registry().all()) {
            if (t.inEveryConfigFile()) {
                ObjectNode fields = Json.object();
                t.defaults().write(fields);
                fields.fieldNames().forEachRemaining(name -> others.putIfAbsent(name, fields.get(name)));
            }
        }
        return new TrainConfig(PolicyTypes.registry().get(FlowNetwork.TYPE).defaults(), 5000, 256, 1e-3, 1e-6, 200, 1.0,
                0.75, 0.999, 0, 1000, 500, 2, 16, 8, NormalizationMode.MIN_MAX, 0.05, List.of(), List.of(), List.of(), 64,
                ImageAugmentation.NONE, ImageEncoding.DEFAULT, others);
    }

    /** A copy with the fields {@code changes} sets on this config's JSON form, validated as a file would be. */
    public TrainConfig with(Consumer<ObjectNode> changes) {
        ObjectNode tree = toTree();
        changes.accept(tree);
        return read(tree, "config", this);
    }

    /**
     * Reads a config file: each field present replaces {@code base}'s; unknown fields are refused.
     * Every type reads its fields, so a bad value fails whichever type the file trains, as it
     * always has.
     */
    public static TrainConfig read(JsonNode tree, String source, TrainConfig base) {
        PolicyTypes types = PolicyTypes.registry();
        FieldReader r = FieldReader.root(tree, source);
        Set<String> known = new LinkedHashSet<>(SHARED);
        known.addAll(types.allFields());
        tree.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new InvalidInputException(source, name, "one of the config fields " + new TreeSet<>(known),
                        "an unknown field");
            }
        });
        String policy = base.policy();
        if (r.has("policy")) {
            policy = r.requireText("policy");
            if (!types.has(policy)) {
                throw r.require("policy").invalid("one of " + types.names(), "\"" + policy + "\"");
            }
        }
        NormalizationMode mode = r.has("normalization") ? NormalizationMode.read(r.require("normalization")) : base.normalization;
        int horizon = r.optInt("horizon", 1, 1024, base.horizon);
        ObjectNode typeFields = base.typeFields();
        for (String name : types.allFields()) {
            if (tree.has(name)) {
                typeFields.set(name, tree.get(name));
            }
        }
        FieldReader t = FieldReader.root(typeFields, source);
        PolicyConfig model = null;
        for (PolicyType type : types.all()) {
            PolicyConfig c = type.read(t);
            if (type.name().equals(policy)) {
                model = c;
            }
        }
        return new TrainConfig(model,
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
                mode,
                r.optDouble("validation_fraction", 0, 0.5, base.validationFraction),
                r.has("delta_actions") ? deltaPairs(r) : base.deltaActions,
                r.has("state_features") ? r.requireList("state_features", TrainConfig::name) : base.stateFeatures,
                r.has("image_features") ? r.requireList("image_features", TrainConfig::name) : base.imageFeatures,
                r.optInt("image_feature_dim", 1, 4096, base.imageFeatureDim),
                augmentation(r, base.imageAugmentation),
                imageEncoding(r, base.imageEncoding),
                typeFields);
    }

    private static ImageAugmentation augmentation(FieldReader r, ImageAugmentation base) {
        int height = base.cropHeight();
        int width = base.cropWidth();
        if (r.has("image_crop")) {
            FieldReader crop = r.require("image_crop");
            List<Integer> hw = crop.asList(v -> {
                if (!v.node().isIntegralNumber() || v.node().asLong() < 1 || v.node().asLong() > 4096) {
                    throw v.invalid("a whole number of pixels in [1, 4096]", FieldReader.describe(v.node()));
                }
                return v.node().asInt();
            });
            if (hw.size() != 2) {
                throw crop.invalid("[height, width] of the crop", FieldReader.describe(crop.node()));
            }
            height = hw.get(0);
            width = hw.get(1);
        }
        return new ImageAugmentation(height, width, r.optDouble("image_jitter", 0, ImageAugmentation.MAX_JITTER,
                base.jitter()));
    }

    private static ImageEncoding imageEncoding(FieldReader r, ImageEncoding base) {
        String encoder = base.encoder();
        if (r.has("image_encoder")) {
            encoder = r.requireText("image_encoder");
            if (!ImageEncoders.NAMES.contains(encoder)) {
                throw r.require("image_encoder").invalid("one of " + ImageEncoders.NAMES, "\"" + encoder + "\"");
            }
        }
        return new ImageEncoding(encoder, r.optBoolean("shared_image_encoder", base.shared()));
    }

    private static List<DeltaPair> deltaPairs(FieldReader r) {
        return r.optMap("delta_actions", v -> {
            if (!v.node().isTextual() || v.node().asText().isBlank()) {
                throw v.invalid("an observation feature name", FieldReader.describe(v.node()));
            }
            return v.node().asText();
        }).entrySet().stream().map(e -> new DeltaPair(e.getKey(), e.getValue())).toList();
    }

    private static String name(FieldReader v) {
        if (!v.node().isTextual() || v.node().asText().isBlank()) {
            throw v.invalid("a feature name", FieldReader.describe(v.node()));
        }
        return v.node().asText();
    }

    /**
     * The fields this config sets for the types, its own type's from {@link #model()}, in file
     * order: the order the types' services file lists them in, each field at its first mention.
     */
    private ObjectNode typeFields() {
        ObjectNode own = Json.object();
        model.write(own);
        ObjectNode out = Json.object();
        for (String name : PolicyTypes.registry().allFields()) {
            JsonNode value = own.has(name) ? own.get(name) : otherTypeFields.get(name);
            if (value != null) {
                out.set(name, value.deepCopy());
            }
        }
        return out;
    }

    /**
     * The fields but {@code steps} in which this config differs from {@code run}'s, each as
     * {@code "batch 16 (the run: 8)"}: what may not change when a run is resumed.
     */
    public List<String> changesFrom(TrainConfig run) {
        ObjectNode now = toTree();
        ObjectNode was = run.toTree();
        Set<String> names = new LinkedHashSet<>();
        now.fieldNames().forEachRemaining(names::add);
        was.fieldNames().forEachRemaining(names::add);
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            if (!name.equals("steps") && !Objects.equals(now.get(name), was.get(name))) {
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
        o.put("policy", policy());
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
        o.setAll(typeFields());
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
            // Written only when set, so the files of runs trained before augmentation read back byte for byte.
            if (imageAugmentation.crops()) {
                o.putArray("image_crop").add(imageAugmentation.cropHeight()).add(imageAugmentation.cropWidth());
            }
            if (imageAugmentation.jitter() > 0) {
                o.put("image_jitter", imageAugmentation.jitter());
            }
            if (!imageEncoding.equals(ImageEncoding.DEFAULT)) {
                o.put("image_encoder", imageEncoding.encoder());
                o.put("shared_image_encoder", imageEncoding.shared());
            }
        }
        return o;
    }
}
