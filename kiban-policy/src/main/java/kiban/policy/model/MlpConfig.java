package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kiban.core.json.FieldReader;

/** The {@code mlp} policy's settings: the widths of its hidden layers ({@code hidden}). */
public record MlpConfig(List<Integer> hidden) implements PolicyConfig {

    static final List<Integer> DEFAULT_HIDDEN = List.of(512, 512, 512);

    public MlpConfig {
        hidden = List.copyOf(hidden);
    }

    @Override
    public String type() {
        return MlpNetwork.TYPE;
    }

    @Override
    public void write(ObjectNode fields) {
        writeHidden(hidden, fields);
    }

    /** The {@code hidden} field, shared by the types built on an MLP: a list of widths. */
    static List<Integer> readHidden(FieldReader r, List<Integer> fallback) {
        return r.has("hidden") ? r.requireList("hidden", MlpConfig::width) : fallback;
    }

    static void writeHidden(List<Integer> hidden, ObjectNode fields) {
        var h = fields.putArray("hidden");
        hidden.forEach(h::add);
    }

    private static int width(FieldReader h) {
        if (!h.node().isIntegralNumber() || h.node().asInt() < 1 || h.node().asInt() > 65536) {
            throw h.invalid("a layer width in [1, 65536]", FieldReader.describe(h.node()));
        }
        return h.node().asInt();
    }
}
