package kiban.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kiban.core.error.InvalidInputException;

/**
 * A cursor over one node of a parsed JSON or YAML document that knows where it is, so every
 * validation error names the source, the dotted field path, what was expected and what was found.
 */
public final class FieldReader {

    private final String source;
    private final String path;
    private final JsonNode node;

    private FieldReader(String source, String path, JsonNode node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    /** The root of a document; it must be an object. */
    public static FieldReader root(JsonNode node, String source) {
        FieldReader reader = new FieldReader(source, "", node);
        if (!node.isObject()) {
            throw reader.invalid("an object", describe(node));
        }
        return reader;
    }

    public String source() {
        return source;
    }

    public String path() {
        return path;
    }

    public JsonNode node() {
        return node;
    }

    public boolean has(String name) {
        JsonNode child = node.get(name);
        return child != null && !child.isNull();
    }

    /** The named child, which must be present. */
    public FieldReader require(String name) {
        JsonNode child = node.get(name);
        if (child == null || child.isNull()) {
            throw new InvalidInputException(source, childPath(name), "a value (the field is required)", "nothing");
        }
        return new FieldReader(source, childPath(name), child);
    }

    public FieldReader requireObject(String name) {
        FieldReader child = require(name);
        if (!child.node.isObject()) {
            throw child.invalid("an object", describe(child.node));
        }
        return child;
    }

    public String requireText(String name) {
        FieldReader child = require(name);
        if (!child.node.isTextual() || child.node.asText().isBlank()) {
            throw child.invalid("a non-empty string", describe(child.node));
        }
        return child.node.asText();
    }

    public String optText(String name, String fallback) {
        return has(name) ? requireText(name) : fallback;
    }

    public boolean requireBoolean(String name) {
        FieldReader child = require(name);
        if (!child.node.isBoolean()) {
            throw child.invalid("true or false", describe(child.node));
        }
        return child.node.asBoolean();
    }

    public boolean optBoolean(String name, boolean fallback) {
        return has(name) ? requireBoolean(name) : fallback;
    }

    /** A finite number, optionally bounded (use infinities for no bound). */
    public double requireDouble(String name, double min, double max) {
        return require(name).asDouble(min, max);
    }

    public double optDouble(String name, double min, double max, double fallback) {
        return has(name) ? requireDouble(name, min, max) : fallback;
    }

    public int requireInt(String name, int min, int max) {
        FieldReader child = require(name);
        if (!child.node.isIntegralNumber() || child.node.asLong() < min || child.node.asLong() > max) {
            throw child.invalid("an integer in [" + min + ", " + max + "]", describe(child.node));
        }
        return child.node.asInt();
    }

    public int optInt(String name, int min, int max, int fallback) {
        return has(name) ? requireInt(name, min, max) : fallback;
    }

    /** This node as a finite number in {@code [min, max]}. */
    public double asDouble(double min, double max) {
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw invalid("a finite number", describe(node));
        }
        double v = node.asDouble();
        if (v < min || v > max) {
            throw invalid("a number in [" + min + ", " + max + "]", describe(node));
        }
        return v;
    }

    /** The named array's elements, each read by {@code element}. */
    public <T> List<T> requireList(String name, Function<FieldReader, T> element) {
        FieldReader child = require(name);
        return child.asList(element);
    }

    public <T> List<T> optList(String name, Function<FieldReader, T> element) {
        return has(name) ? requireList(name, element) : List.of();
    }

    public <T> List<T> asList(Function<FieldReader, T> element) {
        if (!node.isArray()) {
            throw invalid("an array", describe(node));
        }
        List<T> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(element.apply(new FieldReader(source, path + "[" + i + "]", node.get(i))));
        }
        return out;
    }

    /** The named object's entries in document order, each value read by {@code value}. */
    public <T> Map<String, T> optMap(String name, Function<FieldReader, T> value) {
        if (!has(name)) {
            return Map.of();
        }
        FieldReader child = requireObject(name);
        Map<String, T> out = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = child.node.properties().iterator();
        while (it.hasNext()) {
            var e = it.next();
            out.put(e.getKey(), value.apply(new FieldReader(source, child.childPath(e.getKey()), e.getValue())));
        }
        return out;
    }

    /**
     * A vector of {@code size} finite numbers; a single number is repeated {@code size} times,
     * so a spec can say {@code low: 0} for every element.
     */
    public List<Double> asVector(int size) {
        if (node.isNumber()) {
            double v = asDouble(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
            return java.util.Collections.nCopies(size, v);
        }
        if (!node.isArray() || node.size() != size) {
            throw invalid("a number or an array of " + size + " numbers", describe(node));
        }
        return asList(e -> e.asDouble(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
    }

    /** An error about this node. */
    public InvalidInputException invalid(String expected, String actual) {
        return new InvalidInputException(source, path, expected, actual);
    }

    private String childPath(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** A short description of a node for error messages, never the whole (possibly huge) value. */
    public static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            String t = node.asText();
            return "\"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
        }
        if (node.isArray()) {
            return "an array of " + node.size();
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.toString();
    }
}
