package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.json.Json;
import kiban.data.lerobot.DatasetValidator;
import kiban.data.lerobot.LeRobotDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiban quickstart} end to end at a tiny size (its quality is docs/RESULTS.md's, not a test's):
 * with {@code --camera} it records the camera, trains an image policy on it and evaluates it from
 * rendered frames; without it, it stays the state pipeline.
 */
class QuickstartCommandTest {

    @TempDir
    Path dir;

    @Test
    void theCameraQuickstartRunsThePixelPipelineEndToEnd() throws Exception {
        Path out = dir.resolve("cam");
        CliRun run = CliRun.of("quickstart", "--camera", "--episodes", "2", "--steps", "3", "--eval-episodes", "2",
                "--out", out.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();

        JsonNode result = Json.MAPPER.readTree(run.out());
        assertThat(result.get("episodes").asInt()).isEqualTo(2);
        assertThat(result.get("seed").asLong()).isEqualTo(QuickstartCommand.TEST_SEED);
        assertThat(result.get("mean_score").asDouble()).isBetween(0.0, 1.0);
        assertThat(result.get("camera").asText()).isEqualTo(CameraRecipe.CAMERA);
        assertThat(Path.of(result.get("report").asText())).isRegularFile();
        assertThat(Files.readString(out.resolve("report.html"))).contains("96x96 camera");

        LeRobotDataset data = LeRobotDataset.open(out.resolve("data"));
        assertThat(data.episodes()).hasSize(2);
        assertThat(data.info().features()).containsKey(CameraRecipe.CAMERA);
        assertThat(DatasetValidator.validate(out.resolve("data")).valid()).isTrue();

        // The run reads the camera and the agent's position through the recipe's encoder.
        JsonNode config = Json.MAPPER.readTree(out.resolve("run/config.json").toFile());
        assertThat(config.get("image_features").get(0).asText()).isEqualTo(CameraRecipe.CAMERA);
        assertThat(config.get("state_features").get(0).asText()).isEqualTo("agent_pos");
        assertThat(config.get("image_encoder").asText()).isEqualTo("resnet");
        assertThat(config.get("steps").asLong()).isEqualTo(3);
        JsonNode policy = Json.MAPPER.readTree(out.resolve("run/policy.json").toFile());
        assertThat(policy.get("images").get(0).get("height").asInt()).isEqualTo(96);

        // Text output: the stages, then the result line and the report.
        CliRun again = CliRun.of("quickstart", "--camera", "--episodes", "2", "--steps", "3", "--eval-episodes", "1",
                "--out", out.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("[1/3] recording 2 expert demonstrations with the 96x96 camera")
                .contains("[2/3] continuing a flow policy on the camera for 3 steps")
                .contains("from the rendered frames").contains("over 1 episodes").contains("report: ");
    }

    @Test
    void withoutTheCameraItIsTheStatePipeline() throws Exception {
        Path out = dir.resolve("plain");
        CliRun run = CliRun.of("quickstart", "--episodes", "2", "--steps", "2", "--eval-episodes", "1", "--out", out.toString(),
                "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode result = Json.MAPPER.readTree(run.out());
        assertThat(result.get("episodes").asInt()).isEqualTo(1);
        assertThat(result.has("camera")).isFalse();
        assertThat(LeRobotDataset.open(out.resolve("data")).info().features()).doesNotContainKey(CameraRecipe.CAMERA);
        assertThat(Json.MAPPER.readTree(out.resolve("run/config.json").toFile()).has("image_features")).isFalse();
        assertThat(out.resolve("report.html")).isRegularFile();

        // That folder holds a quickstart without the camera: --camera refuses it and changes nothing.
        long modified = Files.getLastModifiedTime(out.resolve("data/meta/info.json")).toMillis();
        CliRun camera = CliRun.of("quickstart", "--camera", "--episodes", "2", "--steps", "2", "--out", out.toString());
        assertThat(camera.exitCode()).isEqualTo(2);
        assertThat(camera.err()).contains(out.resolve("data").toString()).contains("recorded without the camera")
                .contains("another --out");
        assertThat(Files.getLastModifiedTime(out.resolve("data/meta/info.json")).toMillis()).isEqualTo(modified);
    }

    @Test
    void refusesWhatTheCameraQuickstartCannotDo() {
        Path out = dir.resolve("bad");
        CliRun foundation = CliRun.of("quickstart", "--camera", "--policy", "foundation", "--out", out.toString());
        assertThat(foundation.exitCode()).isEqualTo(2);
        assertThat(foundation.err()).contains("--policy one of").contains("flow");

        CliRun noEval = CliRun.of("quickstart", "--camera", "--eval-episodes", "0", "--out", out.toString());
        assertThat(noEval.exitCode()).isEqualTo(2);
        assertThat(noEval.err()).contains("--eval-episodes must be at least 1, got 0");

        CliRun oneEpisode = CliRun.of("quickstart", "--camera", "--episodes", "1", "--out", out.toString());
        assertThat(oneEpisode.exitCode()).isEqualTo(2);
        assertThat(oneEpisode.err()).contains("--episodes must be at least 2");
        assertThat(out).doesNotExist();
    }
}
