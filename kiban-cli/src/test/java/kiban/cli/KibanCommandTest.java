package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
    void runtimeErrorsExitOneWithoutAStackTrace() {
        CliRun run = CliRun.of("embodiment", "show", "ur5");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo(
                "kiban: error: unknown embodiment 'ur5'; did you mean 'ur5e'?; known: factory-cell, pusht, ur5e, vehicle");
        CliRun verbose = CliRun.of("embodiment", "show", "ur5", "--verbose");
        assertThat(verbose.err()).contains("at kiban.");
    }
}
