package kiban.health.failures;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;

/** The cross-validated results of every model on one learning problem; the network's first. */
public record ProblemResult(LearningProblem problem, int instances, int folds, long seed, List<ModelScore> scores) {

    public ProblemResult {
        scores = List.copyOf(scores);
    }

    /** The score of the model named {@code model}. */
    public ModelScore score(String model) {
        return scores.stream().filter(s -> s.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model " + model + " in " + problem.id()));
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("problem", problem.id()).put("description", problem.description())
                .put("instances", instances).put("folds", folds).put("seed", seed);
        ArrayNode s = o.putArray("models");
        scores.forEach(m -> s.add(m.toJson()));
        return o;
    }

    public static ProblemResult read(FieldReader r) {
        LearningProblem p = LearningProblem.of(r.requireText("problem"));
        List<ModelScore> scores = r.requireList("models", m -> ModelScore.read(m, p.labels()));
        if (scores.isEmpty()) {
            throw r.require("models").invalid("at least one model", "[]");
        }
        long seed = (long) r.require("seed").asDouble(Long.MIN_VALUE, Long.MAX_VALUE);
        return new ProblemResult(p, r.requireInt("instances", 1, Integer.MAX_VALUE), r.requireInt("folds", 2, Integer.MAX_VALUE),
                seed, scores);
    }
}
