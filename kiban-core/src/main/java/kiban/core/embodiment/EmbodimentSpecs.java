package kiban.core.embodiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * Reads embodiment specs from YAML or JSON, validating every field, and writes them back as JSON
 * with the same field names, so a written spec reads back equal.
 */
public final class EmbodimentSpecs {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.\\-]*");
    private static final double MAX_CONTROL_HZ = 10_000;

    private EmbodimentSpecs() {}

    public static EmbodimentSpec read(Path file) {
        return fromTree(Json.readTree(file), file.toString());
    }

    public static EmbodimentSpec parse(String text, String source) {
        return fromTree(Json.parseTree(text, source), source);
    }

    public static EmbodimentSpec fromTree(JsonNode tree, String source) {
        FieldReader root = FieldReader.root(tree, source);
        String name = requireName(root, "name");
        String description = root.optText("description", "");
        FieldReader domainField = root.require("domain");
        Domain domain = Domain.fromWireName(domainField.node().asText())
                .orElseThrow(() -> domainField.invalid("one of " + Domain.choices(),
                        FieldReader.describe(domainField.node())));
        double controlHz = root.requireDouble("control_hz", Double.MIN_VALUE, MAX_CONTROL_HZ);
        List<FeatureSpec> state = root.requireList("state", EmbodimentSpecs::feature);
        List<FeatureSpec> action = root.requireList("action", EmbodimentSpecs::feature);
        if (action.isEmpty()) {
            throw root.require("action").invalid("at least one action feature", "an empty array");
        }
        requireUniqueNames(root, "state", state);
        requireUniqueNames(root, "action", action);
        List<CameraSpec> cameras = root.optList("cameras", EmbodimentSpecs::camera);
        SafetyEnvelope safety = root.has("safety")
                ? safety(root.requireObject("safety"), state, action)
                : SafetyEnvelope.defaults();
        return new EmbodimentSpec(name, description, domain, controlHz, state, action, cameras, safety);
    }

    /** One feature read and validated, as in a spec file. */
    public static FeatureSpec feature(FieldReader f) {
        String name = requireName(f, "name");
        String unit = f.optText("unit", "1");
        List<Integer> shape = f.requireList("shape", d -> {
            if (!d.node().isIntegralNumber() || d.node().asInt() < 1) {
                throw d.invalid("a positive integer", FieldReader.describe(d.node()));
            }
            return d.node().asInt();
        });
        if (shape.isEmpty()) {
            throw f.require("shape").invalid("at least one dimension", "an empty array");
        }
        int size = shape.stream().reduce(1, (a, b) -> a * b);
        List<String> names = f.optList("names", n -> {
            if (!n.node().isTextual()) {
                throw n.invalid("a string", FieldReader.describe(n.node()));
            }
            return n.node().asText();
        });
        if (!names.isEmpty() && names.size() != size) {
            throw f.require("names").invalid(size + " names (one per element)", names.size() + " names");
        }
        List<Double> low = f.require("low").asVector(size);
        List<Double> high = f.require("high").asVector(size);
        for (int i = 0; i < size; i++) {
            if (!(low.get(i) < high.get(i))) {
                throw f.require("high").invalid("each element greater than low[" + i + "] = " + low.get(i),
                        String.valueOf(high.get(i)));
            }
        }
        List<Double> maxRate = f.has("max_rate") ? positive(f.require("max_rate"), size) : List.of();
        return new FeatureSpec(name, unit, shape, names, low, high, maxRate);
    }

    private static CameraSpec camera(FieldReader c) {
        return new CameraSpec(requireName(c, "name"), c.requireInt("height", 1, 8192),
                c.requireInt("width", 1, 8192), c.requireInt("channels", 1, 4));
    }

    private static SafetyEnvelope safety(FieldReader s, List<FeatureSpec> state, List<FeatureSpec> action) {
        int watchdog = s.optInt("watchdog_cycles", 1, 1000, SafetyEnvelope.DEFAULT_WATCHDOG_CYCLES);
        StopMode stop = StopMode.HOLD;
        if (s.has("stop_mode")) {
            FieldReader m = s.require("stop_mode");
            stop = StopMode.fromWireName(m.node().asText())
                    .orElseThrow(() -> m.invalid("hold or zero", FieldReader.describe(m.node())));
        }
        Map<String, List<Double>> accel = s.optMap("max_acceleration", v -> actionLimit(v, action));
        Map<String, List<Double>> jerk = s.optMap("max_jerk", v -> actionLimit(v, action));
        List<Zone> workspace = s.optList("workspace", z -> zone(z, state, action));
        List<Zone> keepOut = s.optList("keep_out", z -> zone(z, state, action));
        double ttc = s.optDouble("min_time_to_collision", 0, 60, Double.NaN);
        double separation = s.optDouble("min_separation", 0, 1000, Double.NaN);
        return new SafetyEnvelope(watchdog, stop, accel, jerk, workspace, keepOut, ttc, separation);
    }

    /** A per-action-feature limit, keyed by the feature's name. */
    private static List<Double> actionLimit(FieldReader v, List<FeatureSpec> action) {
        String key = v.path().substring(v.path().lastIndexOf('.') + 1);
        FeatureSpec f = action.stream().filter(a -> a.name().equals(key)).findFirst()
                .orElseThrow(() -> v.invalid("a key naming an action feature ("
                        + String.join(", ", action.stream().map(FeatureSpec::name).toList()) + ")", "'" + key + "'"));
        return positive(v, f.size());
    }

    private static Zone zone(FieldReader z, List<FeatureSpec> state, List<FeatureSpec> action) {
        String name = requireName(z, "name");
        FieldReader featureField = z.require("feature");
        String featureName = featureField.node().asText();
        FeatureSpec f = state.stream().filter(s -> s.name().equals(featureName)).findFirst()
                .or(() -> action.stream().filter(a -> a.name().equals(featureName)).findFirst())
                .orElseThrow(() -> featureField.invalid("the name of a state or action feature",
                        FieldReader.describe(featureField.node())));
        List<Double> min = z.require("min").asVector(f.size());
        List<Double> max = z.require("max").asVector(f.size());
        for (int i = 0; i < min.size(); i++) {
            if (!(min.get(i) < max.get(i))) {
                throw z.require("max").invalid("each element greater than min[" + i + "] = " + min.get(i),
                        String.valueOf(max.get(i)));
            }
        }
        return new Zone(name, featureName, min, max);
    }

    private static List<Double> positive(FieldReader v, int size) {
        List<Double> values = v.asVector(size);
        for (double x : values) {
            if (!(x > 0)) {
                throw v.invalid("positive numbers", String.valueOf(x));
            }
        }
        return values;
    }

    private static String requireName(FieldReader r, String field) {
        String name = r.requireText(field);
        if (!NAME.matcher(name).matches()) {
            throw r.require(field).invalid("a name of lower-case letters, digits, '_', '-' or '.'", "\"" + name + "\"");
        }
        return name;
    }

    private static void requireUniqueNames(FieldReader root, String field, List<FeatureSpec> features) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < features.size(); i++) {
            if (!seen.add(features.get(i).name())) {
                throw root.require(field).invalid("unique feature names", "'" + features.get(i).name() + "' twice");
            }
        }
    }

    /** The spec as a JSON tree with the field names the reader accepts. */
    public static ObjectNode toTree(EmbodimentSpec spec) {
        ObjectNode o = Json.object();
        o.put("name", spec.name());
        if (!spec.description().isEmpty()) {
            o.put("description", spec.description());
        }
        o.put("domain", spec.domain().wireName());
        o.put("control_hz", spec.controlHz());
        ArrayNode state = o.putArray("state");
        spec.state().forEach(f -> state.add(featureTree(f)));
        ArrayNode action = o.putArray("action");
        spec.action().forEach(f -> action.add(featureTree(f)));
        ArrayNode cameras = o.putArray("cameras");
        for (CameraSpec c : spec.cameras()) {
            cameras.addObject().put("name", c.name()).put("height", c.height()).put("width", c.width())
                    .put("channels", c.channels());
        }
        o.set("safety", safetyTree(spec.safety()));
        return o;
    }

    /** One feature as JSON, with the field names the reader accepts. */
    public static ObjectNode featureTree(FeatureSpec f) {
        ObjectNode o = Json.object();
        o.put("name", f.name());
        o.put("unit", f.unit());
        ArrayNode shape = o.putArray("shape");
        f.shape().forEach(shape::add);
        if (!f.names().isEmpty()) {
            ArrayNode names = o.putArray("names");
            f.names().forEach(names::add);
        }
        o.set("low", numbers(f.low()));
        o.set("high", numbers(f.high()));
        if (f.rateLimited()) {
            o.set("max_rate", numbers(f.maxRate()));
        }
        return o;
    }

    private static ObjectNode safetyTree(SafetyEnvelope s) {
        ObjectNode o = Json.object();
        o.put("watchdog_cycles", s.watchdogCycles());
        o.put("stop_mode", s.stopMode().wireName());
        if (!s.maxAcceleration().isEmpty()) {
            ObjectNode a = o.putObject("max_acceleration");
            s.maxAcceleration().forEach((k, v) -> a.set(k, numbers(v)));
        }
        if (!s.maxJerk().isEmpty()) {
            ObjectNode j = o.putObject("max_jerk");
            s.maxJerk().forEach((k, v) -> j.set(k, numbers(v)));
        }
        if (!s.workspace().isEmpty()) {
            ArrayNode w = o.putArray("workspace");
            s.workspace().forEach(z -> w.add(zoneTree(z)));
        }
        if (!s.keepOut().isEmpty()) {
            ArrayNode k = o.putArray("keep_out");
            s.keepOut().forEach(z -> k.add(zoneTree(z)));
        }
        if (Double.isFinite(s.minTimeToCollision())) {
            o.put("min_time_to_collision", s.minTimeToCollision());
        }
        if (Double.isFinite(s.minSeparation())) {
            o.put("min_separation", s.minSeparation());
        }
        return o;
    }

    private static ObjectNode zoneTree(Zone z) {
        ObjectNode o = Json.object();
        o.put("name", z.name());
        o.put("feature", z.feature());
        o.set("min", numbers(z.min()));
        o.set("max", numbers(z.max()));
        return o;
    }

    private static ArrayNode numbers(List<Double> values) {
        ArrayNode a = Json.array();
        values.forEach(v -> Json.addNumber(a, v));
        return a;
    }
}
