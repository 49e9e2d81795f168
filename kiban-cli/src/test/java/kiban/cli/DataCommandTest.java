package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void errorsAreOneLineWithExitOneAndUsageErrorsExitTwo() {
        Run missing = run("data", "info", tmp.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("kiban: error:").contains("nope").doesNotContain("\n");
        assertThat(run("data", "info").code()).isEqualTo(2);
        assertThat(run("data", "convert", "x", "--to", "v2.0", "--out", "y").err()).contains("expected v3.0, got v2.0");
    }

    @Test
    void recordsEachCameraOfAnEnvWithSeveralAsItsOwnVideo() {
        Path out = tmp.resolve("ur5e-video");
        Run r = run("data", "record", "--env", "ur5e-pick-place", "--episodes", "1", "--seed", "2", "--out", out.toString(),
                "--video", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        var videos = Json.parseTree(r.out(), "record output").path("videos");
        assertThat(videos.size()).isEqualTo(2);
        assertThat(videos.get(0).asText()).isEqualTo("observation.images.front");
        assertThat(videos.get(1).asText()).isEqualTo("observation.images.wrist");
        var ds = kiban.data.lerobot.LeRobotDataset.open(out);
        try (var env = kiban.sim.env.EnvRegistry.load().get("ur5e-pick-place")
                .create(kiban.sim.env.EnvConfig.DEFAULT.withImages(true))) {
            var start = env.reset(2);
            for (String camera : List.of("front", "wrist")) {
                var decoded = ds.videoFrame("observation.images." + camera, 0, 0);
                var image = start.images().get(camera);
                var rendered = new kiban.data.video.RgbFrame(image.height(), image.width(), image.rgb());
                String other = camera.equals("front") ? "wrist" : "front";
                var elsewhere = new kiban.data.video.RgbFrame(96, 96, start.images().get(other).rgb());
                // within H.264's loss of its own camera's picture (measured 2.2 of 255 at most), far from the other camera's
                assertThat(decoded.meanAbsError(rendered)).as(camera).isLessThan(4.0)
                        .isLessThan(decoded.meanAbsError(elsewhere) / 5);
            }
        }
    }

    @Test
    void recordsTheCameraAsLeRobotVideoAndResumesIt() {
        Path out = tmp.resolve("pusht-video");
        Run first = run("data", "record", "--env", "pusht", "--episodes", "1", "--out", out.toString(), "--video", "--json");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(Json.parseTree(first.out(), "record output").path("video").asText()).isEqualTo("observation.images.image");
        Run more = run("data", "record", "--env", "pusht", "--episodes", "2", "--out", out.toString(), "--resume", "--json");
        assertThat(more.code()).as(more.err()).isZero();
        Run valid = run("data", "validate", out.toString());
        assertThat(valid.code()).as(valid.out() + valid.err()).isZero();
        assertThat(valid.out()).contains("valid, 0 errors, 0 warnings");
        var ds = kiban.data.lerobot.LeRobotDataset.open(out);
        var e1 = ds.episode(1);
        assertThat(e1.videos().get("observation.images.image").fromTimestamp()).isEqualTo(ds.episode(0).length() / 10.0);
        var frame = ds.videoFrame("observation.images.image", 1, (int) e1.length() - 1);
        assertThat(frame.height()).isEqualTo(96);
    }
}
