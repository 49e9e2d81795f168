package kiban.policy.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.embodiment.EmbodimentSpecs;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.policy.DeltaPair;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.data.InstructionFeatures;

/**
 * Reads and writes {@code policy.json}: the metadata a trained policy is served and run with, and,
 * for a policy that follows instructions, how it encodes them ({@code instructions}: the encoder's
 * name, version and buckets, and the instructions it was trained on).
 */
public final class PolicyFiles {

    static final String INSTRUCTIONS = "instructions";

    private PolicyFiles() {}

    /** As {@link #toTree(PolicyMetadata)}, with how the policy reads {@code instructions} (empty: it does not). */
    public static ObjectNode toTree(PolicyMetadata m, Optional<Instructions> instructions) {
        ObjectNode o = toTree(m);
        instructions.ifPresent(i -> {
            ObjectNode n = o.putObject(INSTRUCTIONS).put("encoder", InstructionFeatures.NAME)
                    .put("version", InstructionFeatures.VERSION).put("buckets", i.features().buckets());
            ArrayNode trained = n.putArray("trained_on");
            i.trainedOn().forEach(trained::add);
        });
        return o;
    }

    /** How the policy of {@code file} reads instructions; empty for one that does not (no {@code instructions}). */
    public static Optional<Instructions> readInstructions(Path file) {
        FieldReader r = FieldReader.root(Json.readTree(file), file.toString());
        if (!r.has(INSTRUCTIONS)) {
            return Optional.empty();
        }
        FieldReader i = r.requireObject(INSTRUCTIONS);
        String encoder = i.requireText("encoder");
        if (!encoder.equals(InstructionFeatures.NAME)) {
            throw i.require("encoder").invalid("\"" + InstructionFeatures.NAME + "\", the instruction encoder this Kiban has",
                    "\"" + encoder + "\"");
        }
        int version = i.requireInt("version", 1, Integer.MAX_VALUE);
        if (version != InstructionFeatures.VERSION) {
            throw i.require("version").invalid(InstructionFeatures.VERSION + " (this Kiban's " + InstructionFeatures.NAME
                    + "; the policy was trained by another Kiban)", String.valueOf(version));
        }
        InstructionFeatures features = new InstructionFeatures(i.requireInt("buckets", 1, 65536));
        return Optional.of(new Instructions(features, readTrainedOn(i)));
    }

    /** The {@code trained_on} list of instructions under {@code r}, empty where there is none. */
    public static List<String> readTrainedOn(FieldReader r) {
        return r.optList("trained_on", t -> {
            if (!t.node().isTextual()) {
                throw t.invalid("an instruction", FieldReader.describe(t.node()));
            }
            return t.node().asText();
        });
    }

    public static ObjectNode toTree(PolicyMetadata m) {
        ObjectNode o = Json.object();
        o.put("format_version", 1);
        o.put("type", m.type());
        putChunkAndFeatures(o, m);
        return o;
    }

    /**
     * Puts {@code m}'s chunk, features, delta actions and cameras into {@code o}: what a policy
     * serves with, besides its type (a foundation policy's every embodiment is written so too).
     */
    public static void putChunkAndFeatures(ObjectNode o, PolicyMetadata m) {
        o.put("observation_steps", m.observationSteps());
        o.put("horizon", m.horizon());
        o.put("action_steps", m.actionSteps());
        ArrayNode obs = o.putArray("observation");
        m.observation().forEach(f -> obs.add(EmbodimentSpecs.featureTree(f)));
        ArrayNode act = o.putArray("action");
        m.action().forEach(f -> act.add(EmbodimentSpecs.featureTree(f)));
        if (!m.deltaActions().isEmpty()) {
            // Written only when used, so policies without them keep their files byte for byte.
            ObjectNode d = o.putObject("delta_actions");
            m.deltaActions().forEach(p -> d.put(p.action(), p.observation()));
        }
        if (!m.images().isEmpty()) {
            ArrayNode images = o.putArray("images");
            m.images().forEach(i -> images.addObject().put("name", i.name()).put("height", i.height())
                    .put("width", i.width()).put("channels", i.channels()));
        }
    }

    private static ImageSpec image(FieldReader i) {
        return new ImageSpec(i.requireText("name"), i.requireInt("height", 1, 1 << 14), i.requireInt("width", 1, 1 << 14),
                i.requireInt("channels", 1, 4));
    }

    public static PolicyMetadata read(Path file) {
        FieldReader r = FieldReader.root(Json.readTree(file), file.toString());
        return readChunkAndFeatures(r, r.requireText("type"), file.toString());
    }

    /** The metadata of policy type {@code type} that {@link #putChunkAndFeatures} wrote under {@code r}. */
    public static PolicyMetadata readChunkAndFeatures(FieldReader r, String type, String source) {
        int horizon = r.requireInt("horizon", 1, 1 << 16);
        List<DeltaPair> delta = r.optMap("delta_actions", v -> {
            if (!v.node().isTextual()) {
                throw v.invalid("an observation feature name", FieldReader.describe(v.node()));
            }
            return v.node().asText();
        }).entrySet().stream().map(e -> new DeltaPair(e.getKey(), e.getValue())).toList();
        List<ImageSpec> images = r.optList("images", PolicyFiles::image);
        try {
            return new PolicyMetadata(type,
                    r.requireList("observation", EmbodimentSpecs::feature),
                    r.requireList("action", EmbodimentSpecs::feature),
                    r.requireInt("observation_steps", 1, 1 << 10), horizon,
                    r.requireInt("action_steps", 1, horizon), delta).withImages(images);
        } catch (IllegalArgumentException e) {
            throw new kiban.core.error.InvalidInputException(source, "delta_actions",
                    "pairs of same-sized action and observation features", e.getMessage());
        }
    }
}
