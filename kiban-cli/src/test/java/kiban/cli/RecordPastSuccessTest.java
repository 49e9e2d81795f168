package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiban data record --past-success N}: the expert's episode goes on N frames after its success. */
class RecordPastSuccessTest {

    @Test
    void theEpisodeContinuesPastItsSuccessAndEndsOnce(@TempDir Path dir) {
        Path plain = dir.resolve("plain");
        Path longer = dir.resolve("longer");
        assertThat(CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--out", plain.toString()).exitCode()).isZero();
        CliRun run = CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--past-success", "12",
                "--out", longer.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode a = frames(plain);
        JsonNode b = frames(longer);
        assertThat(a.get(a.size() - 1).get("next.success").asDouble() == 1).as("seed 0's expert episode succeeds").isTrue();
        assertThat(b.size()).isEqualTo(a.size() + 12);
        for (int i = 0; i < a.size(); i++) {
            // The same episode up to the success: only its end moved.
            assertThat(b.get(i).get("observation.state")).isEqualTo(a.get(i).get("observation.state"));
            assertThat(b.get(i).get("action")).isEqualTo(a.get(i).get("action"));
            assertThat(b.get(i).get("next.done").asDouble() == 1).isEqualTo(i == b.size() - 1);
        }
        for (int i = a.size(); i < b.size(); i++) {
            assertThat(b.get(i).get("next.success").asDouble() == 1).isTrue();
            assertThat(b.get(i).get("next.done").asDouble() == 1).isEqualTo(i == b.size() - 1);
        }
        CliRun bad = CliRun.of("data", "record", "--env", "pusht", "--episodes", "1", "--past-success", "-1",
                "--out", dir.resolve("x").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--past-success", "-1");
    }

    /** The episode's frames as {@code data head --json} prints them (flags as 0/1 numbers). */
    private static JsonNode frames(Path dataset) {
        CliRun head = CliRun.of("data", "head", dataset.toString(), "-n", "1000", "--json");
        assertThat(head.exitCode()).as(head.err()).isZero();
        return Json.parseTree(head.out(), "data head").get("frames");
    }
}
