package kiban.health.failures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kiban.core.progress.Progress;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

    /**
     * Synthetic lp4 failures: each class shifts every reading by its own offset, with noise, so that the
     * classes separate far beyond the noise; {@code counts} per class.
     */
    static FailureDataset synthetic(int[] counts, long seed) {
        Random random = new Random(seed);
        List<FailureInstance> instances = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            for (int n = 0; n < counts[c]; n++) {
                int[][] r = new int[FailureInstance.SAMPLES][FailureInstance.CHANNELS];
                for (int[] row : r) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = (int) Math.round(random.nextGaussian() * 3) + 30 * c;
                    }
                }
                instances.add(new FailureInstance(c, r, instances.size() + 1));
            }
        }
        return new FailureDataset(LearningProblem.LP4, Path.of("synthetic"), instances);
    }

    @Test
    void everyInstanceIsTestedOnceAndFoldAccuraciesMatchThePooledMatrix() {
        FailureDataset d = synthetic(new int[] {12, 7, 3}, 1);
        ProblemResult r = CrossValidation.run(d, 4, 9, List.of(new NearestNeighbours(1), new MajorityClass()),
                Progress.to(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), "cv", "folds", 4));
        assertThat(r.instances()).isEqualTo(22);
        assertThat(r.scores()).extracting(ModelScore::model).containsExactly("1-nn", "majority");
        for (ModelScore s : r.scores()) {
            assertThat(s.matrix().total()).isEqualTo(22);
            assertThat(s.foldAccuracy()).hasSize(4);
            for (int c = 0; c < 3; c++) {
                long row = 0;
                for (int p = 0; p < 3; p++) {
                    row += s.matrix().count(c, p);
                }
                assertThat(row).isEqualTo(d.classCounts()[c]);
            }
        }
        // The majority class of every training part is class 0, so it predicts 0 for all 22.
        ModelScore majority = r.score("majority");
        assertThat(majority.matrix().correct()).isEqualTo(12);
        assertThat(majority.matrix().count(1, 0)).isEqualTo(7);
        // Classes 30 units apart in every reading, with noise of 3, are separated by 1-nn.
        assertThat(r.score("1-nn").matrix().correct()).isEqualTo(22);
    }

    @Test
    void theNetworkLearnsSeparableClassesAndReloadsToTheSamePredictions(@org.junit.jupiter.api.io.TempDir Path dir) {
        FailureDataset d = synthetic(new int[] {10, 10, 10}, 2);
        int[] all = java.util.stream.IntStream.range(0, d.size()).toArray();
        Standardizer s = Standardizer.fit(FailureFeatures.of(d, all));
        double[][] x = s.apply(FailureFeatures.of(d, all));
        MlpSettings settings = new MlpSettings(List.of(16), 1e-2, 0, 60, 5);
        Path file = dir.resolve("model.params");
        int[] predicted;
        try (MlpClassifier model = new MlpLearner(settings).fit(x, d.labels(), 3, 5)) {
            predicted = model.predict(x);
            model.save(file);
        }
        assertThat(predicted).containsExactly(d.labels());
        try (MlpClassifier back = MlpClassifier.load(file, settings, FailureFeatures.SIZE, 3)) {
            assertThat(back.predict(x)).containsExactly(predicted);
        }
    }

    @Test
    void theStandardisationIsFittedOnTheRowsGiven() {
        Standardizer s = Standardizer.fit(new double[][] {{1, 5}, {3, 5}});
        assertThat(s.mean()).containsExactly(2, 5);
        assertThat(s.scale()).containsExactly(1, 1);
        assertThat(s.apply(new double[] {4, 7})).containsExactly(2, 2);
    }
}
