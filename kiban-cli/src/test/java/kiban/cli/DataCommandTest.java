package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Path g1() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/data/lerobot-v2.1-unitree-g1");
            if (Files.isRegularFile(c.resolve("meta/info.json"))) {
                return c;
            }
        }
        return null;
    }

    @Test
    void infoConvertValidateOnTheRealDataset() {
        Path g1 = g1();
        assumeTrue(g1 != null, "shared/data/lerobot-v2.1-unitree-g1 not found");
        Run info = run("data", "info", g1.toString(), "--json");
        assertThat(info.code()).isZero();
        JsonNode j = Json.parseTree(info.out(), "info");
        assertThat(j.get("codebase_version").asText()).isEqualTo("v2.1");
        assertThat(j.get("total_episodes").asInt()).isEqualTo(100);
        assertThat(j.get("total_frames").asLong()).isEqualTo(35_965);
        assertThat(j.get("features").has("observation.state")).isTrue();

        Run bad = run("data", "validate", g1.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).contains("episode 5: missing video");
        assertThat(bad.err()).contains("validation errors");

        Path out = tmp.resolve("g1v3");
        Run conv = run("data", "convert", g1.toString(), "--to", "v3.0", "--out", out.toString());
        assertThat(conv.code()).isZero();
        assertThat(conv.err()).contains("98 of 100 episode videos missing");
        Run ok = run("data", "validate", out.toString(), "--json");
        assertThat(ok.code()).isZero();
        assertThat(Json.parseTree(ok.out(), "v").get("valid").asBoolean()).isTrue();
        JsonNode v3 = Json.parseTree(run("data", "info", out.toString(), "--json").out(), "info");
        assertThat(v3.get("codebase_version").asText()).isEqualTo("v3.0");
        assertThat(v3.get("total_frames").asLong()).isEqualTo(35_965);
        Run again = run("data", "convert", g1.toString(), "--to", "v3.0", "--out", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("--force");
        Run head = run("data", "head", out.toString(), "--episode", "2", "-n", "3", "--json");
        assertThat(Json.parseTree(head.out(), "head").get("frames").size()).isEqualTo(3);
        assertThat(run("data", "stats", out.toString(), "--json").out()).contains("\"q99\"");
    }

    @Test
    void recordingWithNoiseKeepsTheCleanActionAsTheLabel() {
        Path clean = tmp.resolve("clean");
        Path noisy = tmp.resolve("noisy");
        assertThat(run("data", "record", "--env", "pusht", "--episodes", "1", "--out", clean.toString()).code()).isZero();
        assertThat(run("data", "record", "--env", "pusht", "--episodes", "1", "--noise", "0.05", "--out", noisy.toString())
                .code()).isZero();
        JsonNode a = Json.parseTree(run("data", "head", clean.toString(), "-n", "3", "--json").out(), "a").get("frames");
        JsonNode b = Json.parseTree(run("data", "head", noisy.toString(), "-n", "3", "--json").out(), "b").get("frames");
        // Same start and expert, so the first label matches; the noisy executed action moves the next state.
        assertThat(b.get(0).get("action")).isEqualTo(a.get(0).get("action"));
        assertThat(b.get(0).get("observation.state")).isEqualTo(a.get(0).get("observation.state"));
        assertThat(b.get(1).get("observation.state")).isNotEqualTo(a.get(1).get("observation.state"));
        Run bad = run("data", "record", "--env", "pusht", "--episodes", "1", "--noise", "2", "--out", tmp.resolve("x").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--noise");
    }

    @Test
    void errorsAreOneLineWithExitOneAndUsageErrorsExitTwo() {
        Run missing = run("data", "info", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("kiban: error:").contains("nope").doesNotContain("\n");
        assertThat(run("data", "info").code()).isEqualTo(2);
        assertThat(run("data", "convert", "x", "--to", "v2.0", "--out", "y").err()).contains("expected v3.0, got v2.0");
    }
}
