package kiban.policy.foundation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.policy.data.InstructionTokens;
import kiban.policy.run.RunDirectory;

/**
 * A foundation run's {@code policy.json}: the type, how instructions are tokenised, and every
 * embodiment it serves with its features, chunk, normalisation and instructions, in the order of
 * their heads. The network's widths are in {@code config.json}, as for every run.
 */
public final class FoundationFiles {

    private FoundationFiles() {}

    /** Whether the run in {@code dir} is a foundation policy's (its {@code policy.json} says so). */
    public static boolean isFoundation(Path dir) {
        Path policy = new RunDirectory(dir).policy();
        if (!Files.isRegularFile(policy)) {
            return false;
        }
        return FoundationNetwork.TYPE.equals(Json.readTree(policy).path("type").asText());
    }

    static void write(RunDirectory run, InstructionTokens tokens, List<FoundationEmbodiment> embodiments) {
        ObjectNode o = Json.object();
        o.put("format_version", 1);
        o.put("type", FoundationNetwork.TYPE);
        o.putObject("instructions").put("encoder", InstructionTokens.NAME).put("version", InstructionTokens.VERSION)
                .put("vocabulary", tokens.vocabulary()).put("max_tokens", tokens.maxTokens());
        ArrayNode list = o.putArray("embodiments");
        embodiments.forEach(e -> list.add(e.toTree()));
        RunDirectory.writeAtomically(run.policy(), Json.pretty(o));
    }

    static List<FoundationEmbodiment> readEmbodiments(RunDirectory run, FoundationConfig config) {
        Path file = run.policy();
        FieldReader r = FieldReader.root(Json.readTree(file), file.toString());
        FieldReader i = r.requireObject("instructions");
        String encoder = i.requireText("encoder");
        if (!encoder.equals(InstructionTokens.NAME)) {
            throw i.require("encoder").invalid("\"" + InstructionTokens.NAME + "\"", "\"" + encoder + "\"");
        }
        int version = i.requireInt("version", 1, Integer.MAX_VALUE);
        if (version != InstructionTokens.VERSION) {
            throw i.require("version").invalid(InstructionTokens.VERSION + " (this Kiban's tokenizer)", String.valueOf(version));
        }
        if (i.requireInt("vocabulary", 1, 1 << 20) != config.vocabulary() || i.requireInt("max_tokens", 1, 512) != config.maxTokens()) {
            throw i.invalid("the vocabulary and max_tokens of " + run.config(), i.node().toString());
        }
        List<FoundationEmbodiment> out = r.requireList("embodiments", e -> FoundationEmbodiment.read(e, file.toString()));
        if (out.isEmpty()) {
            throw r.require("embodiments").invalid("at least one embodiment", "none");
        }
        if (out.stream().map(FoundationEmbodiment::name).distinct().count() != out.size()) {
            throw r.require("embodiments").invalid("embodiments of distinct names",
                    out.stream().map(FoundationEmbodiment::name).toList().toString());
        }
        return out;
    }
}
