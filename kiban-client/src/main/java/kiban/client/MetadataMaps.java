package kiban.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.DeltaPair;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyMetadata;

/**
 * The metadata map the server sends on connect, built from and read back into
 * {@link PolicyMetadata}. Besides the policy's features it lists every request key with its dtype
 * and shape ({@code inputs}) and the reply's {@code actions}, so a client in any language can
 * check what it sends. {@code delta_actions} (present only when the policy has them) maps each
 * action feature whose rows are steps to the observation feature the executor adds.
 */
public final class MetadataMaps {

    private static final String SOURCE = "server metadata";

    private MetadataMaps() {}

    /** The metadata map; {@code extra} (model identity, checkpoint) is added as it is. */
    public static Map<String, Object> toMap(PolicyMetadata m, Map<String, Object> extra) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kiban_protocol", Wire.PROTOCOL_VERSION);
        o.put("policy_type", m.type());
        o.put("observation_steps", m.observationSteps());
        o.put("observation_dim", m.observationDim());
        o.put("horizon", m.horizon());
        o.put("action_steps", m.actionSteps());
        o.put("action_dim", m.actionDim());
        o.put("observation", m.observation().stream().map(MetadataMaps::feature).toList());
        o.put("action", m.action().stream().map(MetadataMaps::feature).toList());
        if (!m.deltaActions().isEmpty()) {
            // Only when used: the rows for these action features are steps from these observation features.
            Map<String, Object> d = new LinkedHashMap<>();
            m.deltaActions().forEach(p -> d.put(p.action(), p.observation()));
            o.put("delta_actions", d);
        }
        if (!m.images().isEmpty()) {
            // Only when used: the cameras the policy reads, each a request key of its own.
            o.put("images", m.images().stream().map(i -> Map.<String, Object>of("name", i.name(), "height", i.height(),
                    "width", i.width(), "channels", i.channels())).toList());
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put(Wire.STATE, Map.of("dtype", "float32", "shape", Wire.stateShape(m), "accepts", List.of("float32", "float64")));
        for (ImageSpec i : m.images()) {
            inputs.put(i.name(), Map.of("dtype", "uint8", "shape", Wire.imageShape(m, i)));
        }
        inputs.put(Wire.PROMPT, Map.of("dtype", "str", "optional", true));
        o.put("inputs", inputs);
        o.put(Wire.ACTIONS, Map.of("dtype", "float64", "shape", List.of(m.horizon(), m.actionDim())));
        o.putAll(extra);
        return o;
    }

    private static Map<String, Object> feature(FeatureSpec f) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", f.name());
        o.put("unit", f.unit());
        o.put("shape", f.shape());
        o.put("names", f.names());
        o.put("low", f.low());
        o.put("high", f.high());
        o.put("max_rate", f.maxRate());
        return o;
    }

    /** Reads a Kiban server's metadata map back; errors name the missing or wrong key. */
    public static PolicyMetadata fromMap(Map<String, Object> o) {
        List<DeltaPair> delta = new ArrayList<>();
        if (o.containsKey("delta_actions")) {
            if (!(o.get("delta_actions") instanceof Map<?, ?> d)) {
                throw new InvalidInputException(SOURCE, "delta_actions", "a map of action to observation feature names",
                        MsgpackNumpy.describe(o.get("delta_actions")));
            }
            for (var e : d.entrySet()) {
                if (!(e.getKey() instanceof String a) || !(e.getValue() instanceof String obs)) {
                    throw new InvalidInputException(SOURCE, "delta_actions", "feature names", String.valueOf(e));
                }
                delta.add(new DeltaPair(a, obs));
            }
        }
        List<ImageSpec> images = o.containsKey("images") ? images(o.get("images")) : List.of();
        try {
            return new PolicyMetadata(string(o, "policy_type"), features(o, "observation"), features(o, "action"),
                    integer(o, "observation_steps"), integer(o, "horizon"), integer(o, "action_steps"), delta, images);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(SOURCE, "delta_actions", "same-sized action and observation features",
                    e.getMessage());
        }
    }

    private static List<ImageSpec> images(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new InvalidInputException(SOURCE, "images", "a list of cameras", MsgpackNumpy.describe(value));
        }
        List<ImageSpec> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> c)) {
                throw new InvalidInputException(SOURCE, "images[" + i + "]", "a map", MsgpackNumpy.describe(list.get(i)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> cm = (Map<String, Object>) c;
            String where = "images[" + i + "]";
            String name = string(cm, "name", where);
            if (name.isBlank()) {
                throw new InvalidInputException(SOURCE, where + ".name", "a camera's feature name", "a blank string");
            }
            out.add(new ImageSpec(name, integer(cm, "height", where), integer(cm, "width", where), integer(cm, "channels", where)));
        }
        return out;
    }

    private static List<FeatureSpec> features(Map<String, Object> o, String key) {
        if (!(o.get(key) instanceof List<?> list)) {
            throw new InvalidInputException(SOURCE, key, "a list of features", MsgpackNumpy.describe(o.get(key)));
        }
        List<FeatureSpec> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = key + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> f)) {
                throw new InvalidInputException(SOURCE, where, "a map", MsgpackNumpy.describe(list.get(i)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fm = (Map<String, Object>) f;
            out.add(new FeatureSpec(string(fm, "name"), string(fm, "unit"),
                    numbers(fm, "shape", where).stream().map(Number::intValue).toList(),
                    strings(fm, "names", where),
                    numbers(fm, "low", where).stream().map(Number::doubleValue).toList(),
                    numbers(fm, "high", where).stream().map(Number::doubleValue).toList(),
                    numbers(fm, "max_rate", where).stream().map(Number::doubleValue).toList()));
        }
        return out;
    }

    private static List<Number> numbers(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof List<?> list) || !list.stream().allMatch(Number.class::isInstance)) {
            throw new InvalidInputException(SOURCE, where + "." + key, "a list of numbers", MsgpackNumpy.describe(o.get(key)));
        }
        return list.stream().map(Number.class::cast).toList();
    }

    private static List<String> strings(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new InvalidInputException(SOURCE, where + "." + key, "a list of strings", MsgpackNumpy.describe(o.get(key)));
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static String string(Map<String, Object> o, String key) {
        return string(o, key, null);
    }

    /** @param where the map's own place in the metadata, or null at the top */
    private static String string(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof String s)) {
            throw new InvalidInputException(SOURCE, field(where, key), "a string", MsgpackNumpy.describe(o.get(key)));
        }
        return s;
    }

    private static int integer(Map<String, Object> o, String key) {
        return integer(o, key, null);
    }

    private static int integer(Map<String, Object> o, String key, String where) {
        if (!(o.get(key) instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
            throw new InvalidInputException(SOURCE, field(where, key), "a positive int", String.valueOf(o.get(key)));
        }
        return (int) (long) l;
    }

    private static String field(String where, String key) {
        return where == null ? key : where + "." + key;
    }
}
