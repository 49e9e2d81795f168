package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
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

    /**
     * What a recording stopped in its first second left before this was fixed: the staging lock and
     * a temporary file, nothing else. validate says so, and --resume, --force or a plain record take it over.
     */
    @Test
    void aRecordingStoppedBeforeItsDatasetExistedIsTakenOver(@TempDir Path dir) throws Exception {
        for (String how : new String[] {"--resume", "--force", ""}) {
            Path out = dir.resolve("left" + how);
            Files.createDirectories(out.resolve(".kiban-staging"));
            Files.writeString(out.resolve(".kiban-staging/lock"), "");
            Files.writeString(out.resolve(".kiban-staging/tmp-5150427-file-000.parquet"), "");
            CliRun validate = CliRun.of("data", "validate", out.toString());
            assertThat(validate.exitCode()).isEqualTo(1);
            assertThat(validate.out() + validate.err()).contains("interrupted before its dataset was created").contains("--resume");
            String[] args = how.isEmpty() ? new String[] {"data", "record", "--env", "pusht", "--episodes", "1", "--out", out.toString()}
                    : new String[] {"data", "record", "--env", "pusht", "--episodes", "1", "--out", out.toString(), how};
            CliRun rec = CliRun.of(args);
            assertThat(rec.exitCode()).as(how + ": " + rec.err()).isZero();
            assertThat(CliRun.of("data", "validate", out.toString()).exitCode()).isZero();
            assertThat(Files.readString(out.resolve("meta/kiban.json"))).contains("\"env\" : \"pusht\"");
        }
    }

    /** The reproduction as a real process: `kiban data record` stopped with SIGINT as soon as its folder appears. */
    @Test
    void aRecordingStoppedInItsFirstMomentsValidatesAndResumes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("X");
        // With SIGINT handled as a terminal's Ctrl-C: a build started in the background would have the JVM ignore it.
        Process p = CliProcess.interruptible("data", "record", "--env", "pusht", "--episodes", "300", "--out", out.toString())
                .redirectErrorStream(true).start();
        String printed;
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(out) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(Files.exists(out)).as("the recording created its folder").isTrue();
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        // Ctrl-C in the first moments, as soon as the folder appears: the recording closes a dataset that validates
        assertThat(p.exitValue()).as(printed).isEqualTo(130);
        assertThat(printed).contains("stopped before episode", "--resume records the rest");
        CliRun validate = CliRun.of("data", "validate", out.toString());
        assertThat(validate.exitCode()).as(validate.out() + validate.err()).isZero();
        CliRun resumed = CliRun.of("data", "record", "--env", "pusht", "--episodes", "5", "--out", out.toString(), "--resume");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        CliRun valid = CliRun.of("data", "validate", out.toString());
        assertThat(valid.exitCode()).as(valid.out() + valid.err()).isZero();
        assertThat(Files.readString(out.resolve("meta/kiban.json"))).contains("\"env\" : \"pusht\"");
    }
}
