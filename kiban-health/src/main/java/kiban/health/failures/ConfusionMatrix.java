package kiban.health.failures;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * Counts of true class (rows) against predicted class (columns). Mutable while a cross-validation
 * fills it; {@link #add(ConfusionMatrix)} pools folds.
 */
public final class ConfusionMatrix {

    private final List<String> labels;
    private final long[][] counts;

    public ConfusionMatrix(List<String> labels) {
        this.labels = List.copyOf(labels);
        this.counts = new long[labels.size()][labels.size()];
    }

    public List<String> labels() {
        return labels;
    }

    public void add(int truth, int predicted) {
        counts[truth][predicted]++;
    }

    public void add(ConfusionMatrix other) {
        for (int t = 0; t < counts.length; t++) {
            for (int p = 0; p < counts.length; p++) {
                counts[t][p] += other.counts[t][p];
            }
        }
    }

    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    public long correct() {
        long n = 0;
        for (int c = 0; c < counts.length; c++) {
            n += counts[c][c];
        }
        return n;
    }

    /** Correct over all; NaN for an empty matrix. */
    public double accuracy() {
        long n = total();
        return n == 0 ? Double.NaN : correct() / (double) n;
    }

    /** Rows true, columns predicted, labels on both, as fixed-width text. */
    public String toText() {
        int width = Math.max(5, labels.stream().mapToInt(String::length).max().orElse(5));
        for (long[] row : counts) {
            for (long v : row) {
                width = Math.max(width, Long.toString(v).length());
            }
        }
        String cell = "%" + (width + 2) + "s";
        int first = Math.max(width, "true \\ predicted".length());
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-" + first + "s", "true \\ predicted"));
        labels.forEach(l -> b.append(String.format(cell, l)));
        b.append('\n');
        for (int t = 0; t < counts.length; t++) {
            b.append(String.format("%-" + first + "s", labels.get(t)));
            for (long v : counts[t]) {
                b.append(String.format(cell, v));
            }
            b.append('\n');
        }
        return b.toString();
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        ArrayNode l = o.putArray("labels");
        labels.forEach(l::add);
        ArrayNode rows = o.putArray("counts");
        for (long[] row : counts) {
            ArrayNode r = rows.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        return o;
    }

    /** Reads what {@link #toJson} wrote; the labels must be {@code expected}. */
    public static ConfusionMatrix read(FieldReader r, List<String> expected) {
        List<String> labels = r.requireList("labels", e -> e.node().isTextual() ? e.node().asText()
                : e.node().toString());
        if (!labels.equals(expected)) {
            throw r.require("labels").invalid(expected.toString(), labels.toString());
        }
        ConfusionMatrix m = new ConfusionMatrix(labels);
        List<List<Double>> rows = r.requireList("counts", row -> row.asVector(labels.size()));
        if (rows.size() != labels.size()) {
            throw r.require("counts").invalid(labels.size() + " rows", rows.size() + " rows");
        }
        for (int t = 0; t < rows.size(); t++) {
            for (int p = 0; p < labels.size(); p++) {
                double v = rows.get(t).get(p);
                if (v < 0 || v != Math.rint(v)) {
                    throw r.require("counts").invalid("non-negative whole counts", "counts[" + t + "][" + p + "] = " + v);
                }
                m.counts[t][p] = (long) v;
            }
        }
        return m;
    }
}
