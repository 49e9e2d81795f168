package kiban.health.failures;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/**
 * One model's cross-validated result on one problem: the accuracy on each test fold and the
 * confusion matrix pooled over the folds (every instance counted once, when its fold was tested).
 */
public record ModelScore(String model, double[] foldAccuracy, ConfusionMatrix matrix) {

    public double mean() {
        return Arrays.stream(foldAccuracy).average().orElse(Double.NaN);
    }

    /** The sample standard deviation across folds (0 for one fold). */
    public double std() {
        int n = foldAccuracy.length;
        if (n < 2) {
            return 0;
        }
        double m = mean();
        return Math.sqrt(Arrays.stream(foldAccuracy).map(a -> (a - m) * (a - m)).sum() / (n - 1));
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("model", model).put("accuracy_mean", mean()).put("accuracy_std", std())
                .put("pooled_accuracy", matrix.accuracy());
        ArrayNode folds = o.putArray("fold_accuracy");
        Arrays.stream(foldAccuracy).forEach(a -> Json.addNumber(folds, a));
        o.set("confusion", matrix.toJson());
        return o;
    }

    public static ModelScore read(FieldReader r, List<String> labels) {
        double[] folds = r.requireList("fold_accuracy", e -> e.asDouble(0, 1)).stream().mapToDouble(Double::doubleValue).toArray();
        if (folds.length == 0) {
            throw r.require("fold_accuracy").invalid("at least one fold", "[]");
        }
        return new ModelScore(r.requireText("model"), folds, ConfusionMatrix.read(r.require("confusion"), labels));
    }
}
