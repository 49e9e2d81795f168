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
 * with {@code --camera} it records the camera, trains the state policy and an estimator of the
 * block's pose from the camera, and evaluates the two from rendered frames; without it, it stays
 * the state pipeline.
 */
class QuickstartCommandTest {

    @TempDir
    Path dir;

    @Test
    void theCameraQuickstartRunsThePixelPipelineEndToEnd() throws Exception {
        Path out = dir.resolve("cam");
        CliRun run = CliRun.of("quickstart", "--camera", "--episodes", "2", "--steps", "3", "--estimator-steps", "4",
                "--eval-episodes", "2", "--out", out.toString(), "--json");
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

        // The state policy is the plain quickstart's; the run estimates the block's pose from the camera
        // and the agent's position through the recipe's encoder, and drives that state policy.
        JsonNode state = Json.MAPPER.readTree(out.resolve("state-policy/config.json").toFile());
        assertThat(state.get("steps").asLong()).isEqualTo(3);
        assertThat(state.has("image_features")).isFalse();
        JsonNode config = Json.MAPPER.readTree(out.resolve("run/config.json").toFile());
        assertThat(config.get("policy").asText()).isEqualTo("estimated-state");
        assertThat(config.get("estimate")).extracting(JsonNode::asText).containsExactly("block_pos", "block_angle");
        assertThat(config.get("image_features").get(0).asText()).isEqualTo(CameraRecipe.CAMERA);
        assertThat(config.get("image_encoder").asText()).isEqualTo("resnet");
        assertThat(config.get("steps").asLong()).isEqualTo(4);
        JsonNode estimator = Json.MAPPER.readTree(out.resolve("run/estimator/config.json").toFile());
        assertThat(estimator.get("state_features")).extracting(JsonNode::asText).containsExactly("agent_pos");
        JsonNode policy = Json.MAPPER.readTree(out.resolve("run/estimator/policy.json").toFile());
        assertThat(policy.get("images").get(0).get("height").asInt()).isEqualTo(96);
        assertThat(out.resolve("run/state-policy/policy.json")).isRegularFile();

        // Text output: the stages, then the result line and the report.
        CliRun again = CliRun.of("quickstart", "--camera", "--episodes", "2", "--steps", "3", "--estimator-steps", "4",
                "--eval-episodes", "1", "--out", out.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("[1/4] recording 2 expert demonstrations with the 96x96 camera")
                .contains("[2/4] continuing a flow policy on the states for 3 steps")
                .contains("[3/4] continuing the estimator of block_pos and block_angle from the camera for 4 steps")
                .contains("[4/4] evaluating").contains("from the rendered frames").contains("over 1 episodes")
                .contains("report: ");
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
        CliRun noSteps = CliRun.of("quickstart", "--camera", "--estimator-steps", "0", "--out", out.toString());
        assertThat(noSteps.exitCode()).isEqualTo(2);
        assertThat(noSteps.err()).contains("--estimator-steps must be positive, got 0");
        CliRun noCamera = CliRun.of("quickstart", "--estimator-steps", "10", "--out", out.toString());
        assertThat(noCamera.exitCode()).isEqualTo(2);
        assertThat(noCamera.err()).contains("add --camera");
        assertThat(out).doesNotExist();
    }

    @Test
    void theCameraQuickstartRefusesAFolderHoldingAnotherKindOfRun() throws Exception {
        Path out = dir.resolve("old");
        Files.createDirectories(out.resolve("run"));
        Files.writeString(out.resolve("run/config.json"), "{\"policy\": \"flow\", \"image_features\": [\"" + CameraRecipe.CAMERA
                + "\"]}");
        CliRun old = CliRun.of("quickstart", "--camera", "--episodes", "2", "--out", out.toString());
        assertThat(old.exitCode()).isEqualTo(2);
        assertThat(old.err()).contains(out.resolve("run").toString()).contains("holds a flow run").contains("another --out");
        assertThat(out.resolve("data")).doesNotExist();
    }
}
