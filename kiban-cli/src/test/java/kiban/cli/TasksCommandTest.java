package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import kiban.core.json.Json;
import kiban.data.lerobot.EpisodeInfo;
import kiban.data.lerobot.LeRobotDataset;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.EnvTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that pose an env's tasks: sim list and run, data record, eval (ur5e-pick-place poses three). */
class TasksCommandTest {

    private static final String ENV = "ur5e-pick-place";
    private static final EnvSpec SPEC = EnvRegistry.load().get(ENV).spec();

    private static List<String> instructions() {
        return SPEC.tasks().stream().map(EnvTask::instruction).toList();
    }

    @Test
    void aRecordingOfAllTasksKeepsEachEpisodesInstructionAsItsLeRobotTask(@TempDir Path dir) throws Exception {
        assertThat(SPEC.tasks()).hasSizeGreaterThanOrEqualTo(3);
        Path out = dir.resolve("tasks");
        CliRun rec = CliRun.of("data", "record", "--env", ENV, "--task", "all", "--episodes", "4", "--out", out.toString());
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        assertThat(CliRun.of("data", "validate", out.toString()).exitCode()).isZero();

        List<String> all = instructions();
        LeRobotDataset ds = LeRobotDataset.open(out);
        assertThat(ds.episodes().stream().map(EpisodeInfo::tasks).toList())
                .containsExactly(List.of(all.get(0)), List.of(all.get(1)), List.of(all.get(2)), List.of(all.get(0)));
        // Every frame's task_index names its episode's instruction in meta/tasks.parquet, as LeRobot reads it.
        List<String> perEpisode = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(String.format("SELECT episode_index, count(DISTINCT task_index), min(task_index) "
                        + "FROM read_parquet('%s/data/*/*.parquet') GROUP BY episode_index ORDER BY episode_index", out))) {
            while (r.next()) {
                assertThat(r.getLong(2)).isEqualTo(1);
                perEpisode.add(ds.tasks().get(r.getInt(3)));
            }
        }
        assertThat(perEpisode).containsExactly(all.get(0), all.get(1), all.get(2), all.get(0));

        CliRun one = CliRun.of("data", "record", "--env", ENV, "--task", SPEC.tasks().get(1).name(), "--episodes", "2", "--out",
                dir.resolve("one").toString());
        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(LeRobotDataset.open(dir.resolve("one")).tasks()).containsExactly(all.get(1));
    }

    @Test
    void simRunAndEvalReportSuccessPerTaskAndAnUnknownTaskIsAUsageError(@TempDir Path dir) throws Exception {
        CliRun sim = CliRun.of("sim", "run", "--env", ENV, "--task", "all", "--episodes", "3", "--json");
        assertThat(sim.exitCode()).as(sim.err()).isZero();
        JsonNode perTask = Json.MAPPER.readTree(sim.out()).get("success_rate_per_task");
        assertThat(perTask.size()).isEqualTo(3);
        SPEC.tasks().forEach(t -> assertThat(perTask.get(t.name()).asDouble()).as(t.name()).isEqualTo(1.0));

        Path run = CliRun.tinyCheckpoint(ENV, dir);
        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", ENV, "--task", "all", "--episodes", "3", "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode tasks = Json.MAPPER.readTree(eval.out()).get("tasks");
        assertThat(tasks.size()).isEqualTo(3);
        SPEC.tasks().forEach(t -> assertThat(tasks.get(t.name()).get("episodes").asInt()).isEqualTo(1));

        CliRun swapped = CliRun.of("eval", "--checkpoint", run.toString(), "--env", ENV, "--task", "lift", "--instruction",
                SPEC.tasks().get(2).instruction(), "--episodes", "1", "--json");
        assertThat(swapped.exitCode()).as(swapped.err()).isZero();
        assertThat(Json.MAPPER.readTree(swapped.out()).get("instruction").asText()).isEqualTo(SPEC.tasks().get(2).instruction());
        CliRun blank = CliRun.of("eval", "--checkpoint", run.toString(), "--env", ENV, "--instruction", "");
        assertThat(blank.exitCode()).isEqualTo(2);
        assertThat(blank.err()).contains("--instruction must be a sentence of 1-1000 characters");

        CliRun unknown = CliRun.of("eval", "--checkpoint", run.toString(), "--env", ENV, "--task", "lfit");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown task 'lfit'").contains("did you mean 'lift'");
        CliRun list = CliRun.of("sim", "list");
        assertThat(list.out()).contains(SPEC.tasks().get(1).instruction());
    }
}
