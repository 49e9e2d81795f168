package kiban.data.lerobot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * How a recorded dataset's camera frames were randomised ({@code meta/kiban.json}'s
 * {@code frame_randomization}): the kind ({@code render}: colours, lighting, camera pose), the
 * simulator's settings by name, and the seed of episode 0. Episode {@code i}'s picture was drawn
 * from its reset seed, {@code firstEpisodeSeed + i}, so each episode's draw can be made again.
 * Kiban's own metadata, not LeRobot's: {@code info.json} stays as LeRobot writes it.
 */
public record FrameRandomization(String kind, Map<String, Double> settings, long firstEpisodeSeed) {

    public FrameRandomization {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("a frame randomisation needs its kind");
        }
        settings = Map.copyOf(new LinkedHashMap<>(settings));
    }

    /** As {@code meta/kiban.json} holds it. */
    public ObjectNode json() {
        ObjectNode o = Json.object();
        o.put("kind", kind);
        o.put("first_episode_seed", firstEpisodeSeed);
        ObjectNode s = o.putObject("settings");
        // Sorted, so the same settings always write the same file.
        new java.util.TreeMap<>(settings).forEach(s::put);
        return o;
    }

    static FrameRandomization read(FieldReader r) {
        FieldReader seed = r.require("first_episode_seed");
        if (!seed.node().isIntegralNumber() || !seed.node().canConvertToLong()) {
            throw seed.invalid("an integer seed", FieldReader.describe(seed.node()));
        }
        r.requireObject("settings");
        return new FrameRandomization(r.requireText("kind"),
                r.optMap("settings", v -> v.asDouble(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY)), seed.node().asLong());
    }

    /** One line for people: the kind, the seed rule and the settings. */
    public String describe() {
        StringBuilder b = new StringBuilder(kind).append(" randomised, episode i drawn from seed ").append(firstEpisodeSeed)
                .append(" + i (");
        String sep = "";
        for (var e : new java.util.TreeMap<>(settings).entrySet()) {
            b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = ", ";
        }
        return b.append(')').toString();
    }
}
