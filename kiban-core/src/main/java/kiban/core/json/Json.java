package kiban.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;

/** Shared JSON and YAML mappers and the few conversions every module needs. */
public final class Json {

    /** Compact JSON; YAML is read through {@link #YAML}, which also accepts JSON (a YAML subset). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    public static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {}

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Adds a number, writing null for a non-finite one, which JSON cannot hold. */
    public static void addNumber(ArrayNode array, double value) {
        if (Double.isFinite(value)) {
            array.add(value);
        } else {
            array.addNull();
        }
    }

    public static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a JSON or YAML file into a tree. A missing, unreadable or unparsable file is reported
     * as bad input naming the file and, for a syntax error, the line and column.
     */
    public static JsonNode readTree(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file.toString(), "", "an existing file", "no such file");
        } catch (IOException e) {
            throw new KibanException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parseTree(text, file.toString());
    }

    /** Parses JSON or YAML text; {@code source} names it in errors. */
    public static JsonNode parseTree(String text, String source) {
        try {
            JsonNode node = YAML.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw new InvalidInputException(source, "", "a JSON or YAML object", "an empty document");
            }
            return node;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String at = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new InvalidInputException(source, "", "well-formed JSON or YAML", "a syntax error" + at);
        }
    }
}
