package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KibanCommandTest {

    @Test
    void printsTheVersion() {
        CliRun run = CliRun.of("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("kiban 0.1.0");
    }

    @Test
    void helpListsTheCommands() {
        CliRun run = CliRun.of("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Commands:").contains("embodiment");
    }

    @Test
    void usageErrorsExitTwoWithOneClearLine() {
        CliRun run = CliRun.of("embodiment", "lst");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kiban: usage error:").contains("lst").contains("--help");
        assertThat(CliRun.of().exitCode()).isEqualTo(2);
        assertThat(CliRun.of("embodiment", "list", "--jsn").exitCode()).isEqualTo(2);
    }

    @Test
    void anUnknownNameTypedOnTheCommandLineIsAUsageError() {
        CliRun run = CliRun.of("embodiment", "show", "ur5");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(String.format(
                "kiban: usage error: unknown embodiment 'ur5'; did you mean 'ur5e'?; known embodiments: factory-cell, pusht, ur5e, vehicle%n"
                        + "Run 'kiban embodiment show --help' for usage.%n"));
        CliRun env = CliRun.of("sim", "run", "--env", "pushtt", "--episodes", "1");
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err()).startsWith("kiban: usage error: unknown env 'pushtt'; did you mean 'pusht'?");
    }

    @Test
    void anOptionValueTheDataRefusesIsAUsageError(@TempDir Path dir) {
        Path data = dir.resolve("data");
        assertThat(CliRun.of("data", "record", "--env", "highway", "--episodes", "1", "--out", data.toString()).exitCode()).isZero();
        CliRun head = CliRun.of("data", "head", data.toString(), "--episode", "99");
        assertThat(head.exitCode()).as(head.err()).isEqualTo(2);
        assertThat(head.err()).startsWith("kiban: usage error: ").contains("episode index in 0..0, got 99");
        assertThat(CliRun.of("data", "head", data.toString(), "--episode", "0", "-n", "1").exitCode()).isZero();
    }

    @Test
    void aMistypedOptionIsNamedBeforeTheRequiredOneItLeftMissing() {
        CliRun run = CliRun.of("data", "record", "--env", "pusht", "--episode", "5", "--out", "x");
        assertThat(run.exitCode()).isEqualTo(2);
        String[] lines = run.err().split("\\R");
        assertThat(lines[0]).startsWith("kiban: usage error: Unknown option").contains("'--episode'");
        assertThat(lines[1]).contains("Possible solutions: --episodes");
        assertThat(run.err()).contains("Missing required option: '--episodes").contains("kiban data record --help");
    }

    @Test
    void runtimeErrorsExitOneWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("arm.yaml"), "name: arm\n");
        CliRun run = CliRun.of("embodiment", "show", spec.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("kiban: error: " + spec).doesNotContain("at kiban.");
        CliRun verbose = CliRun.of("embodiment", "show", spec.toString(), "--verbose");
        assertThat(verbose.err()).contains("at kiban.");
    }
}
