package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.json.Json;
import kiban.health.rul.RulMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiban rul train} then {@code eval} on a slice of the real FD001 (its first 15 training
 * units, its first 10 test units and their true RUL): the command's files and figures, not the
 * model's quality (two epochs of a narrow CNN).
 */
class RulCommandTest {

    private static Path cmapss() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/data/cmapss");
            if (Files.isRegularFile(c.resolve("train_FD001.txt"))) {
                return c;
            }
        }
        return null;
    }

    /** The first {@code units} units of a C-MAPSS file. */
    private static List<String> firstUnits(Path file, int units) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> Integer.parseInt(l.strip().split(" +")[0]) <= units).toList();
    }

    private static Path slice(Path dir) throws Exception {
        Path real = cmapss();
        assumeTrue(real != null, "shared/data/cmapss not found");
        Path data = Files.createDirectories(dir.resolve("cmapss"));
        Files.write(data.resolve("train_FD001.txt"), firstUnits(real.resolve("train_FD001.txt"), 15));
        Files.write(data.resolve("test_FD001.txt"), firstUnits(real.resolve("test_FD001.txt"), 10));
        Files.write(data.resolve("RUL_FD001.txt"), Files.readAllLines(real.resolve("RUL_FD001.txt")).subList(0, 10));
        return data;
    }

    @Test
    void trainsThenEvaluatesOnTheTestUnitsWithAReport(@TempDir Path dir) throws Exception {
        Path data = slice(dir);
        Path config = Files.writeString(dir.resolve("small.json"), "{\"width\": 16, \"layers\": 1, \"validation_units\": 3, "
                + "\"validation_truncations\": 4}");
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("rul", "train", "--data", data.toString(), "--subset", "FD001", "--out", run.toString(),
                "--model", "cnn", "--seed", "1", "--epochs", "2", "--config", config.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).startsWith("trained cnn (seed 1) on 12 units of " + data.resolve("train_FD001.txt")
                + ", 3 held out: best epoch");
        for (String f : List.of("config.json", "features.json", "data.json", "model.params", "summary.json", "metrics.csv",
                "checkpoints/latest")) {
            assertThat(run.resolve(f)).as(f).isRegularFile();
        }
        JsonNode features = Json.readTree(run.resolve("features.json"));
        assertThat(features.get("readings").toString()).doesNotContain("\"s1\"").doesNotContain("setting").contains("\"s2\"");
        assertThat(Json.readTree(run.resolve("config.json")).get("seed").asLong()).isEqualTo(1);

        CliRun eval = CliRun.of("rul", "eval", "--checkpoint", run.toString(), "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(eval.out());
        assertThat(o.get("units").asInt()).isEqualTo(10);
        assertThat(o.get("truth_capped_at").asInt()).isEqualTo(125);
        List<String> truth = Files.readAllLines(data.resolve("RUL_FD001.txt"));
        double[] predicted = new double[10];
        double[] capped = new double[10];
        for (int i = 0; i < 10; i++) {
            JsonNode p = o.get("predictions").get(i);
            assertThat(p.get("unit").asInt()).isEqualTo(i + 1);
            assertThat(p.get("true").asInt()).isEqualTo(Integer.parseInt(truth.get(i).strip()));
            predicted[i] = p.get("predicted").asDouble();
            capped[i] = Math.min(125, p.get("true").asInt());
            assertThat(predicted[i]).isBetween(0.0, 125.0);
        }
        RulMetrics expected = RulMetrics.of(predicted, capped);
        assertThat(o.get("rmse").asDouble()).isCloseTo(expected.rmse(), within(1e-9));
        assertThat(o.get("score").asDouble()).isCloseTo(expected.score(), within(1e-9));
        assertThat(Files.readString(run.resolve("report.html"))).contains("<svg").contains("PHM08 score");

        // The same model's mean with itself is itself; the plain text names the figures.
        CliRun twice = CliRun.of("rul", "eval", "--checkpoint", run.toString(), "--checkpoint", run.toString(),
                "--test", data.resolve("test_FD001.txt").toString(), "--truth", data.resolve("RUL_FD001.txt").toString(),
                "--report", dir.resolve("r2.html").toString());
        assertThat(twice.exitCode()).as(twice.err()).isZero();
        assertThat(twice.out()).contains("2 runs averaged").contains(String.format(java.util.Locale.ROOT, "rmse   %.2f",
                expected.rmse()));

        // --bias lowers each prediction by that many cycles, within [0, cap]; a bias that is not a number is refused.
        CliRun lowered = CliRun.of("rul", "eval", "--checkpoint", run.toString(), "--bias", "7.5", "--json");
        assertThat(lowered.exitCode()).as(lowered.err()).isZero();
        JsonNode l = Json.MAPPER.readTree(lowered.out());
        assertThat(l.get("bias").asDouble()).isEqualTo(7.5);
        for (int i = 0; i < 10; i++) {
            assertThat(l.get("predictions").get(i).get("predicted").asDouble())
                    .isCloseTo(Math.max(0, predicted[i] - 7.5), within(1e-9));
        }
        CliRun nan = CliRun.of("rul", "eval", "--checkpoint", run.toString(), "--bias", "NaN");
        assertThat(nan.exitCode()).isNotZero();
        assertThat(nan.err()).contains("--bias").contains("a finite number of cycles").contains("NaN");

        // On the held-out units, the saved model gives the figures training kept it for: 4 truncation points on each
        // of the 3 units, and every window.
        CliRun validation = CliRun.of("rul", "eval", "--checkpoint", run.toString(), "--validation", "--json");
        assertThat(validation.exitCode()).as(validation.err()).isZero();
        JsonNode v = Json.MAPPER.readTree(validation.out());
        JsonNode summary = Json.readTree(run.resolve("summary.json"));
        assertThat(v.get("windows").asInt()).isEqualTo(12);
        assertThat(v.get("rmse").asDouble()).isCloseTo(summary.get("validation_rmse").asDouble(), within(1e-3));
        assertThat(v.get("rmse_every_window").asDouble())
                .isCloseTo(summary.get("validation_rmse_every_window").asDouble(), within(1e-3));
        assertThat(v.get("mean_error").asDouble()).isCloseTo(summary.get("validation_mean_error").asDouble(), within(1e-3));
    }

    @Test
    void badInputNamesFileLineAndColumnAndWritesNothing(@TempDir Path dir) throws Exception {
        Path data = slice(dir);
        Path train = data.resolve("train_FD001.txt");
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(train));
        lines.set(41, lines.get(41).replaceFirst("^(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+ )\\S+", "$1NaN"));
        Files.write(train, lines);
        Path run = dir.resolve("run");
        CliRun bad = CliRun.of("rul", "train", "--data", data.toString(), "--out", run.toString(), "--epochs", "1");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("kiban: error: " + train
                + ":42: field 'column 7 (s2)': expected a finite decimal number, got 'NaN'");
        assertThat(run).doesNotExist();

        CliRun subset = CliRun.of("rul", "train", "--data", data.toString(), "--subset", "FD007", "--out", run.toString());
        assertThat(subset.exitCode()).isEqualTo(2);
        assertThat(subset.err()).contains("--subset: expected one of FD001, FD002, FD003, FD004, got 'FD007'");

        CliRun missing = CliRun.of("rul", "eval", "--checkpoint", dir.resolve("nothing").toString());
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("expected a RUL run folder (kiban rul train --out) with config.json");
    }

    @Test
    void aTruthFileWithTheWrongNumberOfLinesIsRefused(@TempDir Path dir) throws Exception {
        Path data = slice(dir);
        Path run = dir.resolve("run");
        Path config = Files.writeString(dir.resolve("tiny.json"), "{\"width\": 8, \"layers\": 1, \"validation_units\": 2, "
                + "\"model\": \"linear\"}");
        CliRun train = CliRun.of("rul", "train", "--data", data.toString(), "--out", run.toString(), "--epochs", "1",
                "--config", config.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path truth = Files.write(dir.resolve("rul9.txt"), Files.readAllLines(data.resolve("RUL_FD001.txt")).subList(0, 9));
        Path test = data.resolve("test_FD001.txt");
        CliRun eval = CliRun.of("rul", "eval", "--checkpoint", run.toString(), "--test", test.toString(), "--truth",
                truth.toString());
        assertThat(eval.exitCode()).isEqualTo(1);
        assertThat(eval.err().strip()).isEqualTo("kiban: error: " + truth + ":10: expected one line per test unit: 10 lines, as "
                + test + " has 10 units, got 9 lines");
        assertThat(run.resolve("report.html")).doesNotExist();
    }

    @Test
    void benchTrainsKibanAndThePytorchPeerForTheSameStepsOnTheSameWindows(@TempDir Path dir) throws Exception {
        Path data = slice(dir);
        Path config = Files.writeString(dir.resolve("bench.json"), "{\"model\": \"lstm\", \"width\": 8, \"layers\": 1, "
                + "\"validation_units\": 3}");
        CliRun run = CliRun.of("bench", "rul", "--data", data.toString(), "--config", config.toString(), "--epochs", "1",
                "--infer-batch", "64", "--seconds", "0.2", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode results = Json.MAPPER.readTree(run.out()).get("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("subject").asText()).isEqualTo("kiban");
        assertThat(results.get(2).get("subject").asText()).startsWith("pytorch");
        // 12 training units less their first 29 cycles each make the windows; one epoch is ceil(windows / 256) steps.
        assertThat(results.get(0).get("setting").asText()).isEqualTo(results.get(2).get("setting").asText())
                .startsWith("train lstm 8x1, batch 256, 1 epochs of ");
        assertThat(results.get(2).get("operations").asLong()).isEqualTo(results.get(0).get("operations").asLong());
        assertThat(results.get(1).get("unit").asText()).isEqualTo("windows/s");
        assertThat(results.get(3).get("setting").asText()).isEqualTo("infer batch 64");
    }

    @Test
    void withNoUnitsHeldOutTheLastEpochIsTheModel(@TempDir Path dir) throws Exception {
        Path data = slice(dir);
        Path config = Files.writeString(dir.resolve("all.json"), "{\"model\": \"linear\", \"validation_units\": 0}");
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("rul", "train", "--data", data.toString(), "--out", run.toString(), "--epochs", "2",
                "--config", config.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("on 15 units of").contains("0 held out: 2 epochs, no validation");
        assertThat(Json.readTree(run.resolve("summary.json")).get("validation_rmse").isNull()).isTrue();
        assertThat(CliRun.of("rul", "eval", "--checkpoint", run.toString(), "--json").exitCode()).isZero();

        // --final holds nothing out whatever the config says (here with Li et al.'s DCNN, small, given the
        // sensors' drifts and the cycle number too, which evaluation must compute as training did).
        Path held = Files.writeString(dir.resolve("held.json"), "{\"model\": \"dcnn\", \"width\": 4, \"layers\": 2, "
                + "\"validation_units\": 3, \"baseline_cycles\": 5, \"cycle_feature\": true}");
        Path last = dir.resolve("final");
        CliRun fin = CliRun.of("rul", "train", "--data", data.toString(), "--out", last.toString(), "--epochs", "1",
                "--config", held.toString(), "--final");
        assertThat(fin.exitCode()).as(fin.err()).isZero();
        assertThat(fin.out()).contains("on 15 units of").contains("0 held out: 1 epochs, no validation");
        assertThat(Json.readTree(last.resolve("config.json")).get("validation_units").asInt()).isZero();
        JsonNode names = Json.readTree(last.resolve("summary.json")).get("features");
        assertThat(names.get(names.size() - 1).asText()).isEqualTo("cycle");
        assertThat(names.get(names.size() - 2).asText()).endsWith("_drift");
        assertThat(names.get(0).asText()).doesNotEndWith("_drift");
        assertThat(Json.readTree(last.resolve("features.json")).get("baseline_cycles").asInt()).isEqualTo(5);
        CliRun dcnn = CliRun.of("rul", "eval", "--checkpoint", last.toString(), "--json");
        assertThat(dcnn.exitCode()).as(dcnn.err()).isZero();
        assertThat(Json.MAPPER.readTree(dcnn.out()).get("rmse").asDouble()).isPositive();
    }
}
