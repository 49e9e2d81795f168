package kiban.health.rul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * Everything that decides a RUL training run; written to the run's {@code config.json}.
 * {@code validationUnits} training units, drawn with {@code splitSeed} (the same for every
 * training seed, so that seeds are compared on the same units), are held out for early stopping
 * and model choice; the best epoch by validation RMSE is kept, and training stops after
 * {@code patience} epochs without improvement. The validation RMSE is over
 * {@code validationTruncations} truncation points per held-out unit (the test protocol, see
 * {@link RulWindows#truncations}), or over every window where it is 0. With no units held out the
 * run trains all its epochs and the last is the model (the final run, its epochs chosen on a run
 * that held units out). {@code cycleFeature} adds the cycle number to the inputs, and
 * {@code baselineCycles} above 0 each sensor's drift from its mean over the unit's first that many
 * cycles ({@link RulFeatures}). The defaults are those chosen on FD001's held-out
 * training units (docs/HEALTH.md).
 */
public record RulConfig(
        RulModelType model,
        int window,
        int cap,
        int epochs,
        int batch,
        double learningRate,
        double weightDecay,
        double emaMaxDecay,
        double dropout,
        int width,
        int layers,
        int validationUnits,
        int validationTruncations,
        long splitSeed,
        long seed,
        int patience,
        boolean cycleFeature,
        int baselineCycles) {

    public static final int FORMAT_VERSION = 1;

    /**
     * The settings chosen on FD001's held-out units for the LSTM (docs/RESULTS.md, issue 21), with
     * {@code model} in its place: 30 cycles, cap 125, at most 80 epochs with patience 10, batch 256,
     * AdamW at 2e-3 with weight decay 0.01, EMA up to 0.995, dropout 0.3, width 64, 2 layers; 20 units
     * held out, validated at 10 truncation points each.
     */
    public static RulConfig defaults(RulModelType model) {
        return new RulConfig(model, 30, 125, 80, 256, 2e-3, 0.01, 0.995, 0.3, 64, 2, 20, 10, 0, 0, 10, false, 0);
    }

    public RulConfig withSeed(long newSeed) {
        return new RulConfig(model, window, cap, epochs, batch, learningRate, weightDecay, emaMaxDecay, dropout, width,
                layers, validationUnits, validationTruncations, splitSeed, newSeed, patience, cycleFeature, baselineCycles);
    }

    public ObjectNode toJson() {
        return Json.object().put("format_version", FORMAT_VERSION).put("model", model.id()).put("window", window)
                .put("cap", cap).put("epochs", epochs).put("batch", batch).put("learning_rate", learningRate)
                .put("weight_decay", weightDecay).put("ema_max_decay", emaMaxDecay).put("dropout", dropout)
                .put("width", width).put("layers", layers).put("validation_units", validationUnits)
                .put("validation_truncations", validationTruncations)
                .put("split_seed", splitSeed).put("seed", seed).put("patience", patience)
                .put("cycle_feature", cycleFeature).put("baseline_cycles", baselineCycles);
    }

    /** Reads a config; each field absent takes {@code base}'s value. */
    public static RulConfig read(JsonNode tree, String source, RulConfig base) {
        FieldReader r = FieldReader.root(tree, source);
        if (!tree.isObject()) {
            throw r.invalid("a JSON object", FieldReader.describe(tree));
        }
        r.optInt("format_version", FORMAT_VERSION, FORMAT_VERSION, FORMAT_VERSION);
        RulModelType model = r.has("model") ? RulModelType.parse(r.requireText("model"), source) : base.model;
        return new RulConfig(model, r.optInt("window", 1, 1000, base.window), r.optInt("cap", 1, 100000, base.cap),
                r.optInt("epochs", 1, 100000, base.epochs), r.optInt("batch", 1, 1 << 16, base.batch),
                r.optDouble("learning_rate", 1e-7, 1, base.learningRate), r.optDouble("weight_decay", 0, 1, base.weightDecay),
                r.optDouble("ema_max_decay", 0, 0.99999, base.emaMaxDecay), r.optDouble("dropout", 0, 0.9, base.dropout),
                r.optInt("width", 1, 4096, base.width), r.optInt("layers", 1, 64, base.layers),
                r.optInt("validation_units", 0, 100000, base.validationUnits),
                r.optInt("validation_truncations", 0, 100000, base.validationTruncations),
                (long) r.optDouble("split_seed", 0, 1e15, base.splitSeed), (long) r.optDouble("seed", 0, 1e15, base.seed),
                r.optInt("patience", 1, 100000, base.patience), r.optBoolean("cycle_feature", base.cycleFeature),
                r.optInt("baseline_cycles", 0, 100000, base.baselineCycles));
    }
}
