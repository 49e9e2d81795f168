package kiban.health.failures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A trained run's networks applied to the problems' files in another (or the same) data folder. */
public final class FailureEvaluation {

    private FailureEvaluation() {}

    public static List<HeldOutResult> classify(FailureRun run, FailureRun.Config config, Path data) {
        List<FailureDataset> sets = new ArrayList<>();
        for (LearningProblem p : config.problems()) {
            sets.add(FailureDataReader.read(data, p));
        }
        List<HeldOutResult> out = new ArrayList<>();
        for (FailureDataset d : sets) {
            LearningProblem p = d.problem();
            Standardizer standardizer = run.readNormalization(p);
            int[] all = java.util.stream.IntStream.range(0, d.size()).toArray();
            ConfusionMatrix matrix = new ConfusionMatrix(p.labels());
            try (MlpClassifier model = run.loadModel(p, config.mlp())) {
                int[] predicted = model.predict(standardizer.apply(FailureFeatures.of(d, all)));
                int[] truth = d.labels();
                for (int i = 0; i < predicted.length; i++) {
                    matrix.add(truth[i], predicted[i]);
                }
            }
            out.add(new HeldOutResult(p, d.file(), matrix, FailureRun.sha256(d.file()).equals(config.sha256().get(p))));
        }
        return out;
    }
}
