package kiban.health.failures;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * The network's shape and training: full-batch AdamW with a warm-up and cosine decay over a fixed
 * number of epochs. {@link #DEFAULT} was fixed before any cross-validated figure was seen and has
 * not been changed to suit one: the folds are test data, never a tuning set.
 */
public record MlpSettings(List<Integer> hidden, double learningRate, double weightDecay, int epochs, int warmupEpochs) {

    public static final MlpSettings DEFAULT = new MlpSettings(List.of(64, 64), 3e-3, 1e-2, 300, 20);

    public MlpSettings {
        hidden = List.copyOf(hidden);
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        hidden.forEach(o.putArray("hidden")::add);
        return o.put("learning_rate", learningRate).put("weight_decay", weightDecay).put("epochs", epochs)
                .put("warmup_epochs", warmupEpochs);
    }

    public static MlpSettings read(FieldReader r) {
        List<Integer> hidden = r.requireList("hidden", e -> (int) e.asDouble(1, 4096));
        if (hidden.isEmpty()) {
            throw r.require("hidden").invalid("at least one hidden width", "[]");
        }
        int epochs = r.requireInt("epochs", 1, 1_000_000);
        return new MlpSettings(hidden, r.requireDouble("learning_rate", 1e-9, 10), r.requireDouble("weight_decay", 0, 10),
                epochs, r.requireInt("warmup_epochs", 0, epochs));
    }
}
