package kiban.health.rul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kiban.core.error.InvalidInputException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.health.cmapss.CmapssColumns;
import kiban.health.cmapss.EngineUnit;

/**
 * Which readings a model sees and how they are normalised, fitted on training units only.
 *
 * <p>The three settings are not features: they name the operating condition, and within one
 * condition they are noise. A sensor is dropped when it takes fewer than {@link #MIN_DISTINCT}
 * distinct values in every operating condition of the training units: on FD001 that drops s1, s5,
 * s10, s16, s18 and s19 (one value each) and s6 (21.60 and 21.61 only, a quantisation step, not a
 * trend), leaving the 14 sensors the literature uses. Each kept sensor is standardised (mean 0,
 * standard deviation 1) per operating condition, with the statistics of the training units in
 * that condition.
 *
 * <p>With {@code baselineCycles} N above 0, each kept sensor also gives its <em>drift</em>: the
 * normalised reading minus its mean over the unit's first N cycles (the first t + 1 where the row
 * is cycle t &lt; N, so a row never sees a later one). Engines start with different initial wear
 * and manufacturing variation, so one engine's healthy level is another's worn one; the drift
 * measures each engine against itself (docs/HEALTH.md).
 *
 * <p>With {@code cycle}, the row's cycle number (the engine's age, column 2) is one feature more,
 * standardised over the training rows: a window of 30 cycles does not say how long the engine has
 * run, and that age bounds how much life can be left (docs/HEALTH.md).
 *
 * <p>Input order: the readings, their drifts if any, then the cycle if used.
 */
public record RulFeatures(List<Integer> readings, Map<OperatingCondition, Stats> conditions, int baselineCycles,
        Optional<Scale> cycle) {

    public static final int MIN_DISTINCT = 3;
    /** 2 added the optional cycle feature, 3 the drifts; older files have neither. */
    public static final int FORMAT_VERSION = 3;
    public static final String CYCLE = "cycle";
    public static final String BASELINE_CYCLES = "baseline_cycles";
    /** A drift feature's name is its sensor's with this suffix, such as s2_drift. */
    public static final String DRIFT_SUFFIX = "_drift";

    /** A condition's mean and standard deviation per kept reading. */
    public record Stats(float[] mean, float[] std) {}

    /** One value's mean and standard deviation. */
    public record Scale(float mean, float std) {}

    public RulFeatures {
        readings = List.copyOf(readings);
        conditions = Map.copyOf(conditions);
        if (baselineCycles < 0) {
            throw new IllegalArgumentException("baselineCycles must not be negative: " + baselineCycles);
        }
    }

    public int size() {
        return readings.size() * (baselineCycles > 0 ? 2 : 1) + (cycle.isPresent() ? 1 : 0);
    }

    /** The features' names in input order: the kept readings, such as s2, their drifts, then {@value #CYCLE} if used. */
    public List<String> names() {
        List<String> names = new ArrayList<>(readings.stream().map(CmapssColumns::reading).toList());
        if (baselineCycles > 0) {
            readings.forEach(i -> names.add(CmapssColumns.reading(i) + DRIFT_SUFFIX));
        }
        cycle.ifPresent(c -> names.add(CYCLE));
        return List.copyOf(names);
    }

    /** Decides the features and fits the normalisation on {@code training}; drifts and the cycle feature if asked. */
    public static RulFeatures fit(List<EngineUnit> training, int baselineCycles, boolean withCycle) {
        Map<OperatingCondition, List<float[]>> rows = new LinkedHashMap<>();
        for (EngineUnit u : training) {
            for (float[] r : u.readings()) {
                rows.computeIfAbsent(OperatingCondition.of(r), k -> new ArrayList<>()).add(r);
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = CmapssColumns.SETTINGS; i < CmapssColumns.READINGS; i++) {
            for (List<float[]> condition : rows.values()) {
                Set<Float> distinct = new HashSet<>();
                for (float[] r : condition) {
                    distinct.add(r[i]);
                    if (distinct.size() >= MIN_DISTINCT) {
                        break;
                    }
                }
                if (distinct.size() >= MIN_DISTINCT) {
                    kept.add(i);
                    break;
                }
            }
        }
        Map<OperatingCondition, Stats> stats = new LinkedHashMap<>();
        rows.forEach((condition, list) -> {
            float[] mean = new float[kept.size()];
            float[] std = new float[kept.size()];
            for (int k = 0; k < kept.size(); k++) {
                double sum = 0;
                double sq = 0;
                for (float[] r : list) {
                    sum += r[kept.get(k)];
                }
                double m = sum / list.size();
                for (float[] r : list) {
                    double d = r[kept.get(k)] - m;
                    sq += d * d;
                }
                double s = Math.sqrt(sq / list.size());
                mean[k] = (float) m;
                // A sensor constant within this condition (but not in another) carries nothing here.
                std[k] = s > 1e-6 ? (float) s : 1f;
            }
            stats.put(condition, new Stats(mean, std));
        });
        return new RulFeatures(kept, stats, baselineCycles, withCycle ? Optional.of(cycleScale(training)) : Optional.empty());
    }

    private static Scale cycleScale(List<EngineUnit> training) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (EngineUnit u : training) {
            for (int c : u.cycles()) {
                sum += c;
                n++;
            }
        }
        double mean = sum / n;
        for (EngineUnit u : training) {
            for (int c : u.cycles()) {
                sq += (c - mean) * (c - mean);
            }
        }
        double std = Math.sqrt(sq / n);
        return new Scale((float) mean, std > 1e-6 ? (float) std : 1f);
    }

    /**
     * The unit's normalised features, one row per cycle; a row in an operating condition the
     * training units never showed is an error naming its line.
     */
    public float[][] apply(EngineUnit unit) {
        float[][] out = new float[unit.length()][size()];
        int n = readings.size();
        double[] baselineSum = new double[n];
        for (int t = 0; t < unit.length(); t++) {
            float[] r = unit.readings()[t];
            OperatingCondition condition = OperatingCondition.of(r);
            Stats s = conditions.get(condition);
            if (s == null) {
                throw new InvalidInputException(unit.source() + ":" + (unit.firstLine() + t), "columns 3-5 (settings)",
                        "one of the training data's operating conditions " + conditions.keySet(), condition.toString());
            }
            for (int k = 0; k < readings.size(); k++) {
                out[t][k] = (r[readings.get(k)] - s.mean[k]) / s.std[k];
            }
            if (baselineCycles > 0) {
                int seen = Math.min(t + 1, baselineCycles);
                for (int k = 0; k < n; k++) {
                    if (t < baselineCycles) {
                        baselineSum[k] += out[t][k];
                    }
                    out[t][n + k] = (float) (out[t][k] - baselineSum[k] / seen);
                }
            }
            if (cycle.isPresent()) {
                out[t][size() - 1] = (unit.cycles()[t] - cycle.get().mean()) / cycle.get().std();
            }
        }
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("format_version", FORMAT_VERSION);
        ArrayNode names = o.putArray("readings");
        readings.forEach(i -> names.add(CmapssColumns.reading(i)));
        ArrayNode list = o.putArray("conditions");
        conditions.forEach((c, s) -> {
            ObjectNode n = list.addObject();
            n.put("setting1", c.setting1()).put("setting2_hundredths", c.setting2Hundredths()).put("setting3", c.setting3());
            ArrayNode mean = n.putArray("mean");
            ArrayNode std = n.putArray("std");
            for (int k = 0; k < s.mean.length; k++) {
                mean.add(s.mean[k]);
                std.add(s.std[k]);
            }
        });
        if (baselineCycles > 0) {
            o.put(BASELINE_CYCLES, baselineCycles);
        }
        cycle.ifPresent(c -> o.putObject(CYCLE).put("mean", c.mean()).put("std", c.std()));
        return o;
    }

    public static RulFeatures read(JsonNode tree, String source) {
        FieldReader r = FieldReader.root(tree, source);
        r.requireInt("format_version", 1, FORMAT_VERSION);
        List<String> allNames = CmapssColumns.names().subList(2, CmapssColumns.COUNT);
        List<Integer> readings = r.requireList("readings", f -> {
            int i = allNames.indexOf(f.node().asText());
            if (!f.node().isTextual() || i < CmapssColumns.SETTINGS) {
                throw f.invalid("a sensor name s1..s21", FieldReader.describe(f.node()));
            }
            return i;
        });
        Map<OperatingCondition, Stats> conditions = new LinkedHashMap<>();
        for (FieldReader c : r.requireList("conditions", f -> f)) {
            OperatingCondition key = new OperatingCondition(c.requireInt("setting1", -1000, 1000),
                    c.requireInt("setting2_hundredths", -100000, 100000), c.requireInt("setting3", -1000, 1000));
            float[] mean = vector(c.require("mean"), readings.size());
            float[] std = vector(c.require("std"), readings.size());
            for (int k = 0; k < std.length; k++) {
                if (!(std[k] > 0)) {
                    throw c.require("std").invalid("positive standard deviations", String.valueOf(std[k]));
                }
            }
            conditions.put(key, new Stats(mean, std));
        }
        Optional<Scale> cycle = Optional.empty();
        if (r.has(CYCLE)) {
            FieldReader c = r.require(CYCLE);
            float std = (float) c.requireDouble("std", Float.MIN_VALUE, Float.MAX_VALUE);
            cycle = Optional.of(new Scale((float) c.requireDouble("mean", -Float.MAX_VALUE, Float.MAX_VALUE), std));
        }
        return new RulFeatures(readings, conditions, r.optInt(BASELINE_CYCLES, 0, 100000, 0), cycle);
    }

    private static float[] vector(FieldReader f, int size) {
        List<Double> v = f.asVector(size);
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = v.get(i).floatValue();
        }
        return out;
    }
}
