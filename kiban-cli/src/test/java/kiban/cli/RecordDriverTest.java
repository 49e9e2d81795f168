package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.Episode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiban data record --driver}: a trained policy drives, the dataset keeps the expert's labels (DAgger). */
class RecordDriverTest {

    @Test
    void aDrivenEpisodeIsAppendedWithTheExpertsLabels(@TempDir Path dir) {
        Path run = CliRun.tinyCheckpoint("highway", dir);
        Path data = dir.resolve("data");
        Path clean = dir.resolve("clean");
        assertThat(CliRun.of("data", "record", "--env", "highway", "--episodes", "3", "--out", clean.toString()).exitCode()).isZero();

        CliRun driven = CliRun.of("data", "record", "--env", "highway", "--episodes", "3", "--resume", "--out", data.toString(),
                "--driver", run.toString(), "--json");
        assertThat(driven.exitCode()).as(driven.err()).isZero();
        assertThat(driven.out()).contains("\"recorded\" : 1", "\"driver\"");

        Episode expert = DatasetEpisodes.load(clean, 0).train().get(2);
        Episode dagger = DatasetEpisodes.load(data, 0).train().get(2);
        // Same reset, so the same first label; then the tiny policy, not the expert, moved the car.
        assertThat(dagger.observations()[0]).containsExactly(expert.observations()[0]);
        assertThat(dagger.actions()[0]).containsExactly(expert.actions()[0]);
        assertThat(dagger.observations()[2]).isNotEqualTo(expert.observations()[2]);
    }

    @Test
    void aDriverForAnotherEnvIsRefusedByName(@TempDir Path dir) {
        Path run = CliRun.tinyCheckpoint("highway", dir);
        CliRun bad = CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--out", dir.resolve("p").toString(),
                "--driver", run.toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("driver", "pusht");
        CliRun random = CliRun.of("data", "record", "--env", "highway", "--episodes", "1", "--policy", "random",
                "--out", dir.resolve("r").toString(), "--driver", run.toString());
        assertThat(random.exitCode()).isEqualTo(2);
        assertThat(random.err()).contains("--driver");
    }
}
