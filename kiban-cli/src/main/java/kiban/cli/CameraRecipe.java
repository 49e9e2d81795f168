package kiban.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.json.Json;
import kiban.data.lerobot.LeRobotDataset;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What {@code kiban quickstart --camera} trains: the best PushT pixel recipe measured so far
 * (docs/TRAINING.md, "Pixel policies: what each technique bought"), Diffusion Policy's image
 * variant's inputs (the 96x96 camera and the agent's position, no block pose) through the
 * residual GroupNorm encoder with spatial-softmax keypoints.
 */
final class CameraRecipe {

    /** The video feature {@code kiban data record --video} makes of PushT's camera. */
    static final String CAMERA = SimRecorder.IMAGES + "image";

    // 50 episodes and 3,000 steps of batch 32: the measured run (validation seeds 1000-1049: mean
    // score 0.283, no success), about 29 minutes on the 2-core machine, most of it training.
    static final int EPISODES = 50;
    static final long STEPS = 3_000;

    private CameraRecipe() {}

    /**
     * The training config: measured with the resnet encoder against the first CNN (0.283 against
     * 0.206 mean score) and every other field at its default. Neither crop nor colour augmentation
     * is on: no PushT run has measured what they buy yet.
     */
    static TrainConfig config(String policy, long steps) {
        return TrainConfig.defaults().with(c -> {
            c.put("policy", policy).put("steps", steps).put("batch", 32).put("validation_fraction", 0.0);
            c.putArray("image_features").add(CAMERA);
            c.putArray("state_features").add("agent_pos");
            c.put("image_encoder", "resnet");
        });
    }

    /**
     * Refuses, before anything runs, an output folder holding a quickstart without the camera,
     * whose dataset has no frames and whose run reads none.
     */
    static void check(CommandSpec spec, Path out) {
        Path dataset = out.resolve("data");
        if (Files.isRegularFile(dataset.resolve("meta/info.json"))
                && !LeRobotDataset.open(dataset).info().features().containsKey(CAMERA)) {
            throw new ParameterException(spec.commandLine(), dataset + " holds a dataset recorded without the camera ("
                    + "no " + CAMERA + "), a quickstart's without --camera: give --camera another --out");
        }
        RunDirectory run = new RunDirectory(out.resolve("run"));
        if (Files.isRegularFile(run.config())) {
            JsonNode features = Json.readTree(run.config()).path("image_features");
            if (!features.isArray() || features.isEmpty()) {
                throw new ParameterException(spec.commandLine(), out.resolve("run") + " holds a run that reads no camera "
                        + "(" + run.config().getFileName() + " has no image_features), a quickstart's without --camera: "
                        + "give --camera another --out");
            }
        }
    }
}
