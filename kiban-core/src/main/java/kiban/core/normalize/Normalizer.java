package kiban.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kiban.core.error.KibanException;
import kiban.core.io.AtomicFiles;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.text.Suggest;

/**
 * The normalisers of a model's features, by feature name, saved and loaded as one JSON file that
 * holds each feature's mode and the full statistics it was fitted on.
 */
public final class Normalizer {

    /** Version of the file layout written by {@link #save}. */
    public static final int FORMAT_VERSION = 1;

    private static final String[] STAT_KEYS = {"min", "max", "mean", "std", "q01", "q10", "q50", "q90", "q99"};

    private final Map<String, FeatureNormalizer> features;

    public Normalizer(Map<String, FeatureNormalizer> features) {
        this.features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** One mode for every feature. */
    public static Normalizer of(NormalizationMode mode, Map<String, FeatureStats> stats) {
        Map<String, FeatureNormalizer> out = new LinkedHashMap<>();
        stats.forEach((name, s) -> out.put(name, new FeatureNormalizer(mode, s)));
        return new Normalizer(out);
    }

    public Set<String> featureNames() {
        return features.keySet();
    }

    public FeatureNormalizer get(String feature) {
        FeatureNormalizer n = features.get(feature);
        if (n == null) {
            throw new KibanException("no normalisation for feature '" + feature + "'"
                    + Suggest.didYouMean(feature, features.keySet()) + "; known: " + String.join(", ", features.keySet()));
        }
        return n;
    }

    public ObjectNode toTree() {
        ObjectNode root = Json.object();
        root.put("format_version", FORMAT_VERSION);
        ObjectNode fs = root.putObject("features");
        features.forEach((name, n) -> {
            ObjectNode f = fs.putObject(name);
            f.put("mode", n.mode().wireName());
            ObjectNode s = f.putObject("stats");
            s.put("count", n.stats().count());
            double[][] values = arrays(n.stats());
            for (int k = 0; k < STAT_KEYS.length; k++) {
                ArrayNode a = s.putArray(STAT_KEYS[k]);
                for (double v : values[k]) {
                    a.add(v);
                }
            }
        });
        return root;
    }

    public static Normalizer fromTree(JsonNode tree, String source) {
        FieldReader root = FieldReader.root(tree, source);
        int version = root.requireInt("format_version", 1, Integer.MAX_VALUE);
        if (version != FORMAT_VERSION) {
            throw root.require("format_version").invalid("format version " + FORMAT_VERSION, String.valueOf(version));
        }
        Map<String, FeatureNormalizer> out = new LinkedHashMap<>();
        root.optMap("features", Normalizer::feature).forEach(out::put);
        if (out.isEmpty()) {
            throw root.require("features").invalid("at least one feature", "none");
        }
        return new Normalizer(out);
    }

    private static FeatureNormalizer feature(FieldReader f) {
        NormalizationMode mode = NormalizationMode.read(f.require("mode"));
        FieldReader s = f.requireObject("stats");
        long count = s.requireInt("count", 1, Integer.MAX_VALUE);
        List<Double> min = s.require("min").asList(e -> e.asDouble(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        double[][] v = new double[STAT_KEYS.length][];
        for (int k = 0; k < STAT_KEYS.length; k++) {
            v[k] = toArray(s.require(STAT_KEYS[k]).asVector(min.size()));
        }
        return new FeatureNormalizer(mode, new FeatureStats(count, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
    }

    /** Writes atomically: a crash leaves the old file or the new one, never half of one. */
    public void save(Path file) {
        Path absolute = file.toAbsolutePath();
        AtomicFiles.writeString(absolute, Json.pretty(toTree()), absolute.getParent());
    }

    public static Normalizer load(Path file) {
        return fromTree(Json.readTree(file), file.toString());
    }

    private static double[][] arrays(FeatureStats s) {
        return new double[][] {s.min(), s.max(), s.mean(), s.std(), s.q01(), s.q10(), s.q50(), s.q90(), s.q99()};
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
