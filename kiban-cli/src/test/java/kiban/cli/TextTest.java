package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Figures as people read them: counts without decimals, no "-0", "1 error". */
class TextTest {

    @Test
    void numbersDropWhatSaysNothing() {
        assertThat(Text.number(8.0)).isEqualTo("8");
        assertThat(Text.number(0.96531)).isEqualTo("0.9653");
        assertThat(Text.number(-0.00001)).isEqualTo("0");
        assertThat(Text.number(-0.0)).isEqualTo("0");
        assertThat(Text.number(-0.25)).isEqualTo("-0.25");
        assertThat(Text.count(1, "error")).isEqualTo("1 error");
        assertThat(Text.count(0, "error")).isEqualTo("0 errors");
        assertThat(Text.count(11, "error")).isEqualTo("11 errors");
        assertThat(Text.count(1, "success", "successes")).isEqualTo("1 success");
        assertThat(Text.count(2, "success", "successes")).isEqualTo("2 successes");
    }

    @Test
    void summariesPrintCountsAsCounts(@TempDir Path dir) throws Exception {
        CliRun sim = CliRun.of("sim", "run", "--env", "factory-cell", "--episodes", "1");
        assertThat(sim.exitCode()).as(sim.err()).isZero();
        // One episode's count of maintenances is a whole number, and printed as one.
        assertThat(sim.out()).containsPattern("(?m)^  maintenances +\\d+$").doesNotContain(".0000");

        assertThat(sim.out()).contains("factory-cell, expert policy, 1 episode from seed");

        Path data = dir.resolve("data");
        CliRun record = CliRun.of("data", "record", "--env", "highway", "--episodes", "1", "--out", data.toString());
        assertThat(record.exitCode()).isZero();
        assertThat(record.out()).containsPattern("^recorded 1 episode \\(\\d+ frames, (1 success|0 successes)\\) of highway");
        assertThat(CliRun.of("data", "info", data.toString()).out()).containsPattern("(?m)^1 episode, \\d+ frames \\(.* s\\), 1 task$");
        Path info = data.resolve("meta/info.json");
        Files.writeString(info, Files.readString(info).replace("\"total_tasks\" : 1", "\"total_tasks\" : 2"));
        CliRun validate = CliRun.of("data", "validate", data.toString());
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.out()).contains("INVALID, 1 error, 0 warnings");
        assertThat(validate.err()).contains(": 1 validation error").doesNotContain("errors");
    }
}
