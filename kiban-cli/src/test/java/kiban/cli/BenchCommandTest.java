package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Bad bench options are refused before anything is timed. */
class BenchCommandTest {

    @Test
    void anUnknownFlowHeadIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.of("bench", "train", "--flow-head", "unet");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kiban: usage error: --flow-head:").contains("[mlp, film]").contains("\"unet\"");
    }

    @Test
    void filmWidthsThatDifferAreAUsageErrorNamingTheOption() {
        CliRun run = CliRun.of("bench", "train", "--flow-head", "film", "--hidden", "256,128");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("kiban: usage error: --hidden:").contains("[256, 128]");
        assertThat(CliRun.of("bench", "train", "--hidden", "0").err()).startsWith("kiban: usage error: --hidden:");
    }
}
