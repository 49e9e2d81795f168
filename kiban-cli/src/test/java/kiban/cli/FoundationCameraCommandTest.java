package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foundation policy with image tokens through the CLI: pusht recorded with its camera, pretrained
 * with {@code image_features} naming that camera for the pusht embodiment, and evaluated on the
 * frames the env renders. Tiny budgets: it checks the path, not how well the policy pushes.
 */
class FoundationCameraCommandTest {

    static final String CAMERA = "observation.images.image";
    static final String TINY = "policy: foundation\nmodel_dim: 32\nheads: 4\nlayers: 1\nbatch: 8\nflow_steps: 2\n"
            + "checkpoint_every: 4\nvalidate_every: 4\nvalidation_fraction: 0.3\nimage_feature_dim: 8\n";

    static CliRun ok(String... args) {
        return FoundationAcceptanceTest.ok(args);
    }

    @Test
    void anEmbodimentsCameraIsTrainedFromItsVideoAndReadFromTheEnvsFrames(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pusht");
        ok("data", "record", "--env", "pusht", "--episodes", "3", "--video", "--out", data.toString());
        Path config = dir.resolve("cameras.yaml");
        // The block's pose left to the camera: the heads read the pusher's position only.
        Files.writeString(config, TINY + "image_features:\n  pusht: [" + CAMERA + "]\nstate_features:\n  pusht: [agent_pos]\n");
        Path run = dir.resolve("run");
        JsonNode trained = Json.MAPPER.readTree(ok("train", "--config", config.toString(), "--mix", data + ":1", "--steps", "4",
                "--out", run.toString(), "--json").out());
        assertThat(trained.path("embodiments").path("pusht").path("validation_loss").asDouble()).isPositive();
        JsonNode embodiment = Json.readTree(run.resolve("policy.json")).path("embodiments").get(0);
        assertThat(embodiment.path("images").get(0).path("name").asText()).isEqualTo(CAMERA);
        assertThat(embodiment.path("state_features").toString()).isEqualTo("[\"agent_pos\"]");
        var pusht = kiban.policy.foundation.FoundationCheckpoint.open(run).embodiments().getFirst();
        assertThat(pusht.codec().encodedObservationDim()).isEqualTo(2);
        assertThat(pusht.metadata().observationDim()).isGreaterThan(2);

        JsonNode eval = Json.MAPPER.readTree(ok("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "1",
                "--json").out());
        assertThat(eval.path("episodes").asInt()).isEqualTo(1);
        assertThat(eval.path("mean_length").asDouble()).isPositive();

        // Fine-tuned to a new embodiment with a camera of its own (the line env's strip): heads and a CNN added.
        Path line = dir.resolve("line");
        ok("data", "record", "--env", "line", "--episodes", "4", "--video", "--out", line.toString());
        Path tuned = dir.resolve("tuned");
        JsonNode t = Json.MAPPER.readTree(ok("finetune", "--from", run.toString(), "--dataset", line.toString(),
                "--image-features", "observation.images.strip", "--freeze", "trunk", "--steps", "4", "--out", tuned.toString(),
                "--json").out());
        assertThat(t.path("embodiments").size()).isEqualTo(2);
        JsonNode added = Json.readTree(tuned.resolve("policy.json")).path("embodiments").get(1);
        assertThat(added.path("name").asText()).isEqualTo("line");
        assertThat(added.path("images").get(0).path("name").asText()).isEqualTo("observation.images.strip");
        ok("eval", "--checkpoint", tuned.toString(), "--env", "line", "--episodes", "2");
        CliRun other = CliRun.of("finetune", "--from", run.toString(), "--dataset", data.toString(), "--image-features",
                "observation.images.wrist", "--steps", "2", "--out", dir.resolve("other").toString());
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.err()).contains("observation.images.wrist", "reads [" + CAMERA + "]");

        // A camera for an embodiment the mixture does not have is a misspelt name: refused, with the ones it has.
        Files.writeString(config, TINY + "image_features:\n  push-t: [" + CAMERA + "]\n");
        CliRun refused = CliRun.of("train", "--config", config.toString(), "--mix", data + ":1", "--steps", "4",
                "--out", dir.resolve("refused").toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("image_features.push-t", "[pusht]", config.toString());
        Files.writeString(config, TINY + "state_features:\n  pusht: [block_angle_typo]\n");
        CliRun unknown = CliRun.of("train", "--config", config.toString(), "--mix", data + ":1", "--steps", "4",
                "--out", dir.resolve("unknown").toString());
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("state_features", "block_angle_typo", "agent_pos");
    }
}
