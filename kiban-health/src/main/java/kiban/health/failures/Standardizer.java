package kiban.health.failures;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * Per-feature z-scores, fitted on training rows only so that no test instance leaks into a fold's
 * model. A feature that is constant on the training rows is centred and left unscaled.
 */
public record Standardizer(double[] mean, double[] scale) {

    public static Standardizer fit(double[][] rows) {
        int d = rows[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / rows.length;
            }
        }
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / rows.length;
            }
        }
        for (int j = 0; j < d; j++) {
            scale[j] = scale[j] > 1e-12 ? Math.sqrt(scale[j]) : 1.0;
        }
        return new Standardizer(mean, scale);
    }

    public double[] apply(double[] row) {
        double[] out = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            out[j] = (row[j] - mean[j]) / scale[j];
        }
        return out;
    }

    public double[][] apply(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = apply(rows[i]);
        }
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        ArrayNode m = o.putArray("mean");
        ArrayNode s = o.putArray("scale");
        for (int j = 0; j < mean.length; j++) {
            Json.addNumber(m, mean[j]);
            Json.addNumber(s, scale[j]);
        }
        return o;
    }

    /** Reads what {@link #toJson} wrote, {@code size} features long. */
    public static Standardizer read(FieldReader r, int size) {
        List<Double> m = r.require("mean").asVector(size);
        List<Double> s = r.require("scale").asVector(size);
        for (int j = 0; j < size; j++) {
            if (!(s.get(j) > 0)) {
                throw r.require("scale").invalid("positive scales", "scale[" + j + "] = " + s.get(j));
            }
        }
        return new Standardizer(m.stream().mapToDouble(Double::doubleValue).toArray(),
                s.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
