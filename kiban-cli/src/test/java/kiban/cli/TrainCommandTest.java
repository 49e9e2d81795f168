package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDatasetWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kiban train} refuses and what it says (tiny sizes: this checks the command, not the learning). */
class TrainCommandTest {

    private static Path record(Path dir) {
        Path data = dir.resolve("data");
        CliRun record = CliRun.of("data", "record", "--env", "highway", "--episodes", "2", "--out", data.toString());
        assertThat(record.exitCode()).as(record.err()).isZero();
        return data;
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void refusesAFolderThatHoldsSomethingElseSuchAsTheDataset(@TempDir Path dir) throws Exception {
        Path data = record(dir);
        List<String> before = listing(data);
        CliRun run = CliRun.of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "5", "--out", data.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("kiban: error: " + data
                + ": the folder is not empty and holds no training run; train into a new or empty folder");
        assertThat(listing(data)).isEqualTo(before);
    }

    @Test
    void resumeAcceptsTheSettingsTheRunStartedWithAndNamesTheOnesThatDiffer(@TempDir Path dir) throws Exception {
        Path data = record(dir);
        String run = dir.resolve("run").toString();
        CliRun first = CliRun.of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "5", "--batch", "8",
                "--seed", "3", "--out", run);
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("trained mlp for 5 steps on 2 episodes: loss ")
                .contains("no validation (no episodes held out)").doesNotContain("NaN");

        Path config = Files.writeString(dir.resolve("same.yaml"), "policy: mlp\nbatch: 8\n");
        CliRun same = CliRun.of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "10", "--batch", "8",
                "--seed", "3", "--config", config.toString(), "--out", run, "--resume");
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).startsWith("trained mlp for 10 steps (from step 5) on 2 episodes");

        CliRun changed = CliRun.of("train", "--dataset", data.toString(), "--policy", "flow", "--batch", "16", "--out", run,
                "--resume");
        assertThat(changed.exitCode()).isEqualTo(2);
        assertThat(changed.err()).contains("these differ from it: policy flow (the run: mlp), batch 16 (the run: 8);"
                + " only --steps may change");

        CliRun done = CliRun.of("train", "--dataset", data.toString(), "--out", run, "--resume");
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out()).startsWith("the run in " + run + " already reached 10 steps; nothing to train");
    }

    @Test
    void aRefusalShowsNoProgressBar(@TempDir Path dir) throws Exception {
        Path data = record(dir);
        String run = dir.resolve("run").toString();
        assertThat(CliRun.of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "2", "--batch", "8", "--out", run)
                .exitCode()).isZero();
        // The bar writes to the process's stderr, not to the command's.
        PrintStream stderr = System.err;
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        CliRun again;
        CliRun wrongEnv;
        try {
            System.setErr(new PrintStream(bar, true, StandardCharsets.UTF_8));
            again = CliRun.of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "2", "--out", run);
            wrongEnv = CliRun.of("eval", "--checkpoint", run, "--env", "pusht", "--episodes", "1");
        } finally {
            System.setErr(stderr);
        }
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("a run already exists there");
        assertThat(wrongEnv.exitCode()).isEqualTo(1);
        assertThat(wrongEnv.err()).contains("was it trained on this env?");
        assertThat(bar.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void resumingWhatIsNotThereSaysSoBeforeReadingTheData(@TempDir Path dir) {
        Path missing = dir.resolve("typo");
        CliRun run = CliRun.of("train", "--dataset", dir.resolve("no-data").toString(), "--out", missing.toString(), "--resume");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("kiban: error: " + missing + ": nothing to resume: the folder does not exist");
    }

    @Test
    void aDatasetOfTwoTasksTrainsAPolicyThatFollowsInstructionsWhichExportRefuses(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(data, LeRobotDatasetWriter.Options.of(10, "line",
                List.of(Feature.of("observation.state", "float32", 1), Feature.of("action", "float32", 1))))) {
            for (int e = 0; e < 4; e++) {
                for (int t = 0; t < 5; t++) {
                    w.addFrame(Map.of("observation.state", new float[] {t}, "action", new float[] {e % 2 == 0 ? -1 : 1}));
                }
                w.saveEpisode(e % 2 == 0 ? "go left" : "go right");
            }
        }
        String run = dir.resolve("run").toString();
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "3", "--batch", "8",
                "--out", run);
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("follows instructions: trained on 2 tasks (policy.json lists them)");
        assertThat(Files.readString(Path.of(run, "policy.json"))).contains("\"trained_on\" : [ \"go left\", \"go right\" ]");

        CliRun export = CliRun.of("export", "--checkpoint", run, "--out", dir.resolve("export").toString());
        assertThat(export.exitCode()).isEqualTo(1);
        assertThat(export.err()).contains("this policy follows instructions").contains("kiban serve");
        String blind = dir.resolve("blind").toString();
        CliRun ignoring = CliRun.of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "3", "--batch", "8",
                "--out", blind, "--ignore-instructions");
        assertThat(ignoring.exitCode()).as(ignoring.err()).isZero();
        assertThat(ignoring.out()).doesNotContain("follows instructions");
        assertThat(Files.readString(Path.of(blind, "policy.json"))).doesNotContain("trained_on");
    }
}
