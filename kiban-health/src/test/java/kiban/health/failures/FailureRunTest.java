package kiban.health.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureRunTest {

    private static final MlpSettings QUICK = new MlpSettings(List.of(8), 1e-2, 0, 20, 2);

    @Test
    void aRunReadsBackAsWrittenAndItsNetworkClassifiesTheTrainingFile(@TempDir Path dir) throws Exception {
        Path data = FailureDataReaderTest.resource("lp4.data").getParent();
        Path out = dir.resolve("run");
        List<FailureDataset> sets = FailureTraining.read(data, List.of(LearningProblem.LP4), 3);
        List<ProblemResult> results = FailureTraining.train(data, sets, 3, 4, QUICK, out, quiet(4));
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("run");
        }
        FailureRun run = new FailureRun(out);
        FailureRun.Config config = run.readConfig();
        assertThat(config.problems()).containsExactly(LearningProblem.LP4);
        assertThat(config.mlp()).isEqualTo(QUICK);
        assertThat(config.folds()).isEqualTo(3);
        assertThat(config.seed()).isEqualTo(4);
        assertThat(FailureTraining.resultsJson(run.readResults())).isEqualTo(FailureTraining.resultsJson(results));
        List<HeldOutResult> held = FailureEvaluation.classify(run, config, data);
        assertThat(held).singleElement().satisfies(h -> {
            assertThat(h.trainingData()).isTrue();
            assertThat(h.matrix().total()).isEqualTo(3);
        });

        assertThatThrownBy(() -> FailureTraining.train(data, sets, 3, 4, QUICK, out, quiet(4)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("a new or empty folder");
        Files.writeString(run.config(), Files.readString(run.config()).replace("kiban-health-failures", "kiban-train"));
        assertThatThrownBy(run::readConfig).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("config.json: field 'format': expected 'kiban-health-failures'");
    }

    @Test
    void moreFoldsThanFailuresAreRefusedBeforeAnyTraining() {
        Path data = FailureDataReaderTest.resource("lp4.data").getParent();
        assertThatThrownBy(() -> FailureTraining.read(data, List.of(LearningProblem.LP4), 4))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--folds: expected a number of folds in [2, 3] (lp4 has 3 failures), got 4");
    }

    private static Progress quiet(long total) {
        return Progress.to(new PrintStream(OutputStream.nullOutputStream()), "t", "fits", total);
    }
}
