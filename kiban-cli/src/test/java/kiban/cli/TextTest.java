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
    }

    @Test
    void summariesPrintCountsAsCounts(@TempDir Path dir) throws Exception {
        CliRun sim = CliRun.of("sim", "run", "--env", "factory-cell", "--episodes", "1");
        assertThat(sim.exitCode()).as(sim.err()).isZero();
        // One episode's count of maintenances is a whole number, and printed as one.
        assertThat(sim.out()).containsPattern("(?m)^  maintenances +\\d+$").doesNotContain(".0000");

        Path data = dir.resolve("data");
        assertThat(CliRun.of("data", "record", "--env", "highway", "--episodes", "1", "--out", data.toString()).exitCode()).isZero();
        Path info = data.resolve("meta/info.json");
        Files.writeString(info, Files.readString(info).replace("\"total_tasks\" : 1", "\"total_tasks\" : 2"));
        CliRun validate = CliRun.of("data", "validate", data.toString());
        assertThat(validate.exitCode()).isEqualTo(1);
        assertThat(validate.out()).contains("INVALID, 1 error, 0 warnings");
        assertThat(validate.err()).contains(": 1 validation error").doesNotContain("errors");
    }
}
