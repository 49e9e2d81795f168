package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRecordCommandTest {

    /** The acceptance: 50 expert PushT episodes that validate and that DuckDB reads row for row. */
    @Test
    void recordsFiftyPushtEpisodesThatValidateAndDuckDbReads(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("pusht");
        CliRun rec = CliRun.of("data", "record", "--env", "pusht", "--episodes", "50", "--seed", "0", "--out", out.toString(), "--json");
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        JsonNode r = Json.MAPPER.readTree(rec.out());
        assertThat(r.get("episodes").asInt()).isEqualTo(50);
        long frames = r.get("recorded_frames").asLong();

        CliRun validate = CliRun.of("data", "validate", out.toString());
        assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();

        JsonNode info = Json.MAPPER.readTree(CliRun.of("data", "info", out.toString(), "--json").out());
        assertThat(info.get("total_episodes").asInt()).isEqualTo(50);
        assertThat(info.get("total_frames").asLong()).isEqualTo(frames);
        assertThat(info.get("robot_type").asText()).isEqualTo("pusht");

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT episode_index), max(index), "
                        + "sum(CASE WHEN \"next.done\" THEN 1 ELSE 0 END), len(first(\"observation.state\")) FROM read_parquet('"
                        + out.resolve("data") + "/*/*.parquet')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(frames);
            assertThat(rs.getLong(2)).isEqualTo(50);
            assertThat(rs.getLong(3)).isEqualTo(frames - 1);
            assertThat(rs.getLong(4)).as("one done frame per episode").isEqualTo(50);
            assertThat(rs.getInt(5)).isEqualTo(5);
        }
        assertThat(Files.readString(out.resolve("meta/kiban.json"))).contains("\"env\" : \"pusht\"");
    }

    @Test
    void resumeFinishesAnInterruptedRecordingExactly(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        Path parts = dir.resolve("parts");
        assertThat(CliRun.of("data", "record", "--env", "ur5e-pick-place", "--episodes", "4", "--out", whole.toString()).exitCode()).isZero();
        assertThat(CliRun.of("data", "record", "--env", "ur5e-pick-place", "--episodes", "2", "--out", parts.toString()).exitCode()).isZero();
        CliRun again = CliRun.of("data", "record", "--env", "ur5e-pick-place", "--episodes", "4", "--out", parts.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains(parts.toString());
        assertThat(CliRun.of("data", "record", "--env", "ur5e-pick-place", "--episodes", "4", "--out", parts.toString(), "--resume")
                .exitCode()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            String q = "SELECT list(\"action\" ORDER BY index)::VARCHAR FROM read_parquet('%s/data/*/*.parquet')";
            ResultSet a = s.executeQuery(q.formatted(whole));
            a.next();
            String expected = a.getString(1);
            ResultSet b = s.executeQuery(q.formatted(parts));
            b.next();
            assertThat(b.getString(1)).isEqualTo(expected);
        }
        CliRun wrongEnv = CliRun.of("data", "record", "--env", "pusht", "--episodes", "5", "--out", parts.toString(), "--resume");
        assertThat(wrongEnv.err()).contains("recorded from ur5e-pick-place");
    }
}
