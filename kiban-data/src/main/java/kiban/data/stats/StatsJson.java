package kiban.data.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.core.normalize.FeatureStats;

/**
 * LeRobot's stats layout, {@code {feature: {min, max, mean, std, count, q01, ...}}}. Nested lists
 * (image stats of shape (3,1,1)) are flattened; missing quantiles read as NaN and are not written.
 */
public final class StatsJson {

    private StatsJson() {
    }

    public static Map<String, FeatureStats> read(JsonNode node, String source) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(source, "", "an object of per-feature stats", node == null ? "nothing" : node.getNodeType().toString());
        }
        Map<String, FeatureStats> out = new LinkedHashMap<>();
        for (var it = node.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), readOne(e.getValue(), source, e.getKey()));
        }
        return out;
    }

    public static FeatureStats readOne(JsonNode s, String source, String feature) {
        double[] min = vector(s, "min", source, feature, true);
        double[] max = vector(s, "max", source, feature, true);
        double[] mean = vector(s, "mean", source, feature, true);
        double[] std = vector(s, "std", source, feature, true);
        double[] count = vector(s, "count", source, feature, false);
        long n = count == null || count.length == 0 ? 0 : (long) count[0];
        double[][] q = new double[5][];
        String[] names = {"q01", "q10", "q50", "q90", "q99"};
        for (int k = 0; k < 5; k++) {
            q[k] = vector(s, names[k], source, feature, false);
            if (q[k] == null) {
                q[k] = StatsAggregation.filled(min.length, Double.NaN);
            }
        }
        try {
            return new FeatureStats(n, min, max, mean, std, q[0], q[1], q[2], q[3], q[4]);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, feature, "stats of one dimension", e.getMessage());
        }
    }

    private static double[] vector(JsonNode s, String stat, String source, String feature, boolean required) {
        JsonNode v = s.get(stat);
        if (v == null || v.isNull()) {
            if (required) {
                throw new InvalidInputException(source, feature + "." + stat, "a number or a list of numbers", null);
            }
            return null;
        }
        List<Double> flat = new ArrayList<>();
        flatten(v, flat, source, feature + "." + stat);
        return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flatten(JsonNode v, List<Double> out, String source, String field) {
        if (v.isArray()) {
            v.forEach(x -> flatten(x, out, source, field));
        } else if (v.isNull()) {
            out.add(Double.NaN);
        } else if (v.isNumber()) {
            out.add(v.asDouble());
        } else if (v.isTextual() && v.asText().equalsIgnoreCase("nan")) {
            out.add(Double.NaN);
        } else {
            throw new InvalidInputException(source, field, "numbers", v.toString());
        }
    }

    public static ObjectNode write(Map<String, FeatureStats> stats) {
        ObjectNode root = Json.object();
        stats.forEach((name, s) -> root.set(name, writeOne(s)));
        return root;
    }

    public static ObjectNode writeOne(FeatureStats s) {
        ObjectNode o = Json.object();
        o.set("min", array(s.min()));
        o.set("max", array(s.max()));
        o.set("mean", array(s.mean()));
        o.set("std", array(s.std()));
        o.set("count", Json.array().add(s.count()));
        if (StatsAggregation.hasQuantiles(s)) {
            o.set("q01", array(s.q01()));
            o.set("q10", array(s.q10()));
            o.set("q50", array(s.q50()));
            o.set("q90", array(s.q90()));
            o.set("q99", array(s.q99()));
        }
        return o;
    }

    private static ArrayNode array(double[] v) {
        ArrayNode a = Json.array();
        for (double x : v) {
            Json.addNumber(a, x);
        }
        return a;
    }
}
