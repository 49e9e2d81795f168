package kiban.health.failures;

import java.util.ArrayList;
import java.util.List;
import kiban.core.progress.Progress;

/**
 * Stratified k-fold cross-validation of several learners on the same folds. In each fold the
 * standardisation is fitted on the training folds only, every learner is fitted on them, and all
 * are tested on the held-out fold; nothing about a fold's test instances reaches its models.
 */
public final class CrossValidation {

    /** Folds unless asked otherwise. */
    public static final int DEFAULT_FOLDS = 5;

    private CrossValidation() {}

    /**
     * The results of {@code learners} on {@code data}; {@code progress} steps once a fold. Fold
     * {@code f}'s learners are seeded {@code seed + f}.
     */
    public static ProblemResult run(FailureDataset data, int folds, long seed, List<Learner> learners, Progress progress) {
        List<String> labels = data.problem().labels();
        int classes = labels.size();
        int[] y = data.labels();
        int[] fold = StratifiedFolds.assign(y, classes, folds, seed);
        double[][] accuracy = new double[learners.size()][folds];
        List<ConfusionMatrix> pooled = new ArrayList<>();
        learners.forEach(l -> pooled.add(new ConfusionMatrix(labels)));
        for (int f = 0; f < folds; f++) {
            int[] train = StratifiedFolds.members(fold, f, false);
            int[] test = StratifiedFolds.members(fold, f, true);
            Standardizer standardizer = Standardizer.fit(FailureFeatures.of(data, train));
            double[][] xTrain = standardizer.apply(FailureFeatures.of(data, train));
            double[][] xTest = standardizer.apply(FailureFeatures.of(data, test));
            int[] yTrain = pick(y, train);
            for (int m = 0; m < learners.size(); m++) {
                ConfusionMatrix matrix = new ConfusionMatrix(labels);
                try (Classifier c = learners.get(m).fit(xTrain, yTrain, classes, seed + f)) {
                    int[] predicted = c.predict(xTest);
                    for (int i = 0; i < test.length; i++) {
                        matrix.add(y[test[i]], predicted[i]);
                    }
                }
                accuracy[m][f] = matrix.accuracy();
                pooled.get(m).add(matrix);
            }
            progress.step(1);
        }
        List<ModelScore> scores = new ArrayList<>();
        for (int m = 0; m < learners.size(); m++) {
            scores.add(new ModelScore(learners.get(m).name(), accuracy[m], pooled.get(m)));
        }
        return new ProblemResult(data.problem(), data.size(), folds, seed, scores);
    }

    static int[] pick(int[] values, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return out;
    }
}
