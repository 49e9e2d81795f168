package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimCommandTest {

    @Test
    void listsTheFourSimulatorsWithTheirSpecs() throws Exception {
        CliRun run = CliRun.of("sim", "list", "--json");
        assertThat(run.exitCode()).isZero();
        List<String> names = new ArrayList<>();
        for (JsonNode env : Json.MAPPER.readTree(run.out())) {
            names.add(env.get("name").asText());
            assertThat(env.get("embodiment").asText()).isNotBlank();
            assertThat(env.get("control_hz").asDouble()).isPositive();
            assertThat(env.get("observation").size()).isPositive();
            assertThat(env.get("action").size()).isPositive();
        }
        assertThat(names).contains("pusht", "ur5e-pick-place", "highway", "factory-cell");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "pusht,           mean_coverage",
        "ur5e-pick-place, placement_error",
        "highway,         collision_rate",
        "factory-cell,    downtime_fraction",
    })
    void runsEachEnvAndReportsItsMetrics(String env, String metric, @TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("sim", "run", "--env", env, "--policy", "random", "--episodes", "2", "--seed", "3",
                "--video", dir.resolve("v.gif").toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode o = Json.MAPPER.readTree(run.out());
        assertThat(o.get("env").asText()).isEqualTo(env);
        assertThat(o.get("episodes").asInt()).isEqualTo(2);
        for (String key : List.of("success_rate", "mean_reward", "mean_length", "steps_per_second", metric)) {
            assertThat(o.has(key)).as(key).isTrue();
        }
        assertThat(dir.resolve("v.gif")).exists();
        assertThat(CliRun.of("sim", "run", "--env", env, "--policy", "random", "--episodes", "2", "--seed", "3", "--json").out())
                .as("same seed, same results").contains("\"mean_reward\" : " + o.get("mean_reward").asText());
    }

    @Test
    void anUnknownEnvListsTheKnownOnes() {
        CliRun run = CliRun.of("sim", "run", "--env", "pushtt");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown env 'pushtt'").contains("did you mean 'pusht'").contains("highway");
    }

    @Test
    void badValuesAreUsageErrors() {
        CliRun genius = CliRun.of("sim", "run", "--env", "pusht", "--policy", "genius");
        assertThat(genius.exitCode()).isEqualTo(2);
        assertThat(genius.err()).contains("one of expert, random for env pusht").contains("kiban sim run --help");
        assertThat(CliRun.of("sim", "run", "--env", "factory-cell", "--policy", "genius").err())
                .contains("one of expert, random, run-to-failure");
        assertThat(CliRun.of("sim", "run", "--env", "pusht", "--episodes", "0").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("sim", "run", "--env", "pusht", "--episodes", "many").exitCode()).isEqualTo(2);
        assertThat(CliRun.of("sim", "run", "--env", "pusht", "--episodes", "1", "--video", "x.avi").err())
                .contains("a path ending in .gif or .mp4");
    }
}
