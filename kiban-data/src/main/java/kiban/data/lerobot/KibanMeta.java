package kiban.data.lerobot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.embodiment.EmbodimentSpecs;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * {@code meta/kiban.json}: what LeRobot's features cannot say about a dataset Kiban recorded, namely
 * which env it came from, the typed features (units, limits) that {@code observation.state}
 * and {@code action} concatenate, and how its camera frames were randomised, if they were
 * ({@code frameRandomization}, null for plain frames; an optional field, so files without it
 * stay format 1). LeRobot and other readers ignore the file; Kiban falls back to plain vector
 * features without it.
 */
public record KibanMeta(String env, String embodiment, List<FeatureSpec> observation, List<FeatureSpec> action,
        FrameRandomization frameRandomization) {

    public static final String FILE = "meta/kiban.json";
    public static final int FORMAT_VERSION = 1;

    public KibanMeta {
        observation = List.copyOf(observation);
        action = List.copyOf(action);
    }

    /** A dataset whose frames (if any) are the plain pictures. */
    public KibanMeta(String env, String embodiment, List<FeatureSpec> observation, List<FeatureSpec> action) {
        this(env, embodiment, observation, action, null);
    }

    /** How the frames were randomised; empty for plain frames. */
    public Optional<FrameRandomization> randomization() {
        return Optional.ofNullable(frameRandomization);
    }

    /** The file's text; a new dataset takes it with {@code Options.withMetaFile(FILE, json())}, so it comes with info.json. */
    public String json() {
        ObjectNode o = Json.object();
        o.put("format_version", FORMAT_VERSION);
        o.put("env", env);
        o.put("embodiment", embodiment);
        ArrayNode obs = o.putArray("observation");
        observation.forEach(f -> obs.add(EmbodimentSpecs.featureTree(f)));
        ArrayNode act = o.putArray("action");
        action.forEach(f -> act.add(EmbodimentSpecs.featureTree(f)));
        if (frameRandomization != null) {
            o.set("frame_randomization", frameRandomization.json());
        }
        return Json.pretty(o);
    }

    /** The dataset's Kiban metadata, if it has any; a malformed file is an error naming it. */
    public static Optional<KibanMeta> read(Path datasetRoot) {
        Path file = datasetRoot.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        FieldReader r = FieldReader.root(Json.readTree(file), file.toString());
        int version = r.requireInt("format_version", 1, Integer.MAX_VALUE);
        if (version != FORMAT_VERSION) {
            throw r.require("format_version").invalid("format version " + FORMAT_VERSION, String.valueOf(version));
        }
        return Optional.of(new KibanMeta(r.requireText("env"), r.requireText("embodiment"),
                r.requireList("observation", EmbodimentSpecs::feature), r.requireList("action", EmbodimentSpecs::feature),
                r.has("frame_randomization") ? FrameRandomization.read(r.requireObject("frame_randomization")) : null));
    }

    /** Element names of a flattened feature list, as LeRobot's {@code names}. */
    public static List<String> elementNames(List<FeatureSpec> features) {
        List<String> names = new java.util.ArrayList<>();
        for (FeatureSpec f : features) {
            for (int i = 0; i < f.size(); i++) {
                names.add(f.name() + (f.names().isEmpty() ? (f.size() > 1 ? "_" + i : "") : "." + f.names().get(i)));
            }
        }
        return names;
    }
}
