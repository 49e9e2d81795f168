package kiban.health.cell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.io.AtomicFiles;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * A fitted hazard model with the maintenance limit tuned for it: what {@code kiban health
 * maintenance --model-out} writes and {@code kiban health watch --model} reads (JSON, versioned).
 *
 * @param hazard         the fitted model
 * @param horizonMinutes how far ahead the failure probability looks
 * @param maintainAt     the failure probability within the horizon at which maintenance is requested
 * @param trainedOn      a line saying what it was fitted and tuned on, for people
 */
public record CellHealthModel(HazardModel hazard, double horizonMinutes, double maintainAt, String trainedOn) {

    public static final String FORMAT = "kiban-cell-hazard";
    public static final int VERSION = 1;

    public CellHealthModel {
        if (!(horizonMinutes > 0) || !(maintainAt > 0 && maintainAt < 1)) {
            throw new IllegalArgumentException("need a positive horizon and a limit in (0, 1), got " + horizonMinutes + " and " + maintainAt);
        }
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("format", FORMAT);
        o.put("version", VERSION);
        o.put("trained_on", trainedOn);
        ArrayNode covariates = o.putArray("covariates");
        for (int j = 0; j < hazard.covariates().size(); j++) {
            covariates.addObject().put("name", hazard.covariates().get(j).key()).put("mean", hazard.mean()[j])
                    .put("scale", hazard.scale()[j]).put("coefficient", hazard.coefficients()[j]);
        }
        o.put("log_background", hazard.logBackground());
        o.put("intercept", hazard.intercept());
        o.put("drift_per_minute", hazard.driftPerMinute());
        o.put("horizon_minutes", horizonMinutes);
        o.put("maintain_at", maintainAt);
        return o;
    }

    /** Writes the model atomically: a reader sees the old file or the new one, never half of it. */
    public void write(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        AtomicFiles.writeString(file, Json.pretty(toJson()) + "\n", parent.resolve(".staging"));
    }

    /** Reads and validates a model file; errors name the file and field. */
    public static CellHealthModel read(Path file) {
        return read(FieldReader.root(Json.readTree(file), file.toString()));
    }

    public static CellHealthModel read(FieldReader root) {
        String format = root.requireText("format");
        if (!FORMAT.equals(format)) {
            throw root.require("format").invalid("'" + FORMAT + "'", "'" + format + "'");
        }
        root.requireInt("version", VERSION, VERSION);
        List<FieldReader> entries = root.requireList("covariates", e -> e);
        if (entries.isEmpty()) {
            throw root.require("covariates").invalid("at least one covariate", "none");
        }
        List<Covariate> covariates = new ArrayList<>();
        int k = entries.size();
        double[] mean = new double[k];
        double[] scale = new double[k];
        double[] coefficients = new double[k];
        for (int j = 0; j < k; j++) {
            FieldReader e = entries.get(j);
            Covariate c = Covariate.of(e.requireText("name"), e.source(), e.path() + ".name");
            if (covariates.contains(c)) {
                throw e.require("name").invalid("each covariate once", "'" + c.key() + "' again");
            }
            covariates.add(c);
            mean[j] = e.requireDouble("mean", -1e9, 1e9);
            scale[j] = e.requireDouble("scale", Double.MIN_NORMAL, 1e9);
            coefficients[j] = e.requireDouble("coefficient", -1e3, 1e3);
        }
        HazardModel hazard = new HazardModel(covariates, mean, scale, root.requireDouble("log_background", -100, 10),
                root.requireDouble("intercept", -100, 10), coefficients, root.requireDouble("drift_per_minute", 0, 1));
        double horizon = root.requireDouble("horizon_minutes", 1, 100_000);
        double maintainAt = root.requireDouble("maintain_at", 1e-9, 1 - 1e-9);
        return new CellHealthModel(hazard, horizon, maintainAt, root.optText("trained_on", ""));
    }
}
