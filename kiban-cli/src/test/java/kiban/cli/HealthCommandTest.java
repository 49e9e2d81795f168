package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCommandTest {

    /** UCI's Robot Execution Failures in the shared data beside the project or one of its ancestors. */
    static Path uci() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/data/uci-robot-execution-failures");
            if (Files.isRegularFile(c.resolve("lp3.data"))) {
                return c;
            }
        }
        return null;
    }

    /** The real lp3 file (47 failures, one class of 3), trained and evaluated through the CLI in seconds. */
    @Test
    void trainsAndEvaluatesOneProblemOnTheRealData(@TempDir Path dir) throws Exception {
        Path data = uci();
        assumeTrue(data != null, "shared/data/uci-robot-execution-failures not found");
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("health", "train", "--data", data.toString(), "--problem", "lp3", "--folds", "3", "--seed", "1",
                "--out", run.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode p = Json.MAPPER.readTree(train.out()).get("problems").get(0);
        assertThat(p.get("problem").asText()).isEqualTo("lp3");
        assertThat(p.get("instances").asInt()).isEqualTo(47);
        JsonNode models = p.get("models");
        assertThat(models).extracting(m -> m.get("model").asText()).containsExactly("mlp", "3-nn", "majority");
        for (JsonNode m : models) {
            assertThat(m.get("fold_accuracy")).hasSize(3);
            long total = 0;
            for (JsonNode row : m.get("confusion").get("counts")) {
                for (JsonNode v : row) {
                    total += v.asLong();
                }
            }
            assertThat(total).isEqualTo(47);
        }
        // 'ok' is 20 of 47 and the largest class in every training part.
        assertThat(models.get(2).get("pooled_accuracy").asDouble()).isEqualTo(20 / 47.0);
        assertThat(models.get(0).get("accuracy_mean").asDouble()).isGreaterThan(models.get(2).get("accuracy_mean").asDouble());
        assertThat(run.resolve("lp3/model.params")).isRegularFile();
        assertThat(run.resolve("lp3/normalization.json")).isRegularFile();
        assertThat(Files.readString(run.resolve("report.html"))).contains("lp3", "slightly_moved", "3-nn");

        CliRun eval = CliRun.of("health", "eval", "--checkpoint", run.toString(), "--data", data.toString(), "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode e = Json.MAPPER.readTree(eval.out());
        assertThat(e.get("problems").get(0)).isEqualTo(p);
        assertThat(e.get("data").get(0).get("training_data").asBoolean()).isTrue();
        assertThat(e.get("data").get(0).get("failures").asInt()).isEqualTo(47);

        CliRun text = CliRun.of("health", "eval", "--checkpoint", run.toString(), "--report", dir.resolve("r.html").toString());
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("lp3 (position of part after a transfer failure): 47 failures, stratified 3-fold",
                "confusion matrix of mlp", "true \\ predicted", "majority  accuracy");
        assertThat(dir.resolve("r.html")).isRegularFile();
    }

    @Test
    void badDataIsNamedByFileAndLineAndNoRunIsWritten(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        StringBuilder b = new StringBuilder("ok\n");
        for (int i = 0; i < 15; i++) {
            b.append(i == 6 ? "\t1\t2\t3\n" : "\t1\t2\t3\t4\t5\t6\n");
        }
        Files.writeString(data.resolve("lp3.data"), b.toString());
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("health", "train", "--data", data.toString(), "--problem", "lp3", "--out", run.toString());
        assertThat(train.exitCode()).isEqualTo(1);
        assertThat(train.err().strip()).isEqualTo("kiban: error: " + data.resolve("lp3.data") + ":8: expected 6 integer values "
                + "(Fx Fy Fz Tx Ty Tz), got 3 values");
        assertThat(run).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("data");
        }
    }

    @Test
    void unknownProblemsAndTooManyFoldsAreUsageErrors(@TempDir Path dir) {
        Path data = uci();
        assumeTrue(data != null, "shared/data/uci-robot-execution-failures not found");
        CliRun unknown = CliRun.of("health", "train", "--data", data.toString(), "--problem", "lp6", "--out", dir.resolve("r").toString());
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown learning problem 'lp6'", "lp1, lp2, lp3, lp4, lp5");
        CliRun folds = CliRun.of("health", "train", "--data", data.toString(), "--problem", "lp2", "--folds", "48", "--out",
                dir.resolve("r").toString());
        assertThat(folds.exitCode()).isEqualTo(2);
        assertThat(folds.err()).contains("--folds: expected a number of folds in [2, 47] (lp2 has 47 failures), got 48");
        CliRun notARun = CliRun.of("health", "eval", "--checkpoint", dir.toString());
        assertThat(notARun.exitCode()).isEqualTo(1);
        assertThat(notARun.err()).contains(dir.resolve("config.json") + ": expected a file of a kiban health train run");
    }
}
