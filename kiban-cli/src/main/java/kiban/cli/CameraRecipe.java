package kiban.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kiban.core.json.Json;
import kiban.core.policy.ImageSpec;
import kiban.data.lerobot.LeRobotDataset;
import kiban.policy.estimate.EstimatedStateConfig;
import kiban.policy.run.RunDirectory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * What {@code kiban quickstart --camera} trains beside the plain quickstart's state policy: the
 * best PushT pixel recipe measured so far (docs/TRAINING.md, "Pixel policies: what each technique
 * bought"), an estimator of the block's pose from the 96x96 camera and the agent's position
 * (Diffusion Policy's image variant's inputs) through the residual GroupNorm encoder with
 * spatial-softmax keypoints, whose estimate the state policy reads.
 */
final class CameraRecipe {

    /** The video feature {@code kiban data record --video} makes of PushT's camera. */
    static final String CAMERA = ImageSpec.PREFIX + "image";
    /** The state features the camera stands in for. */
    static final List<String> ESTIMATED = List.of("block_pos", "block_angle");

    // Chosen on the validation seeds 1000-1049 (docs/TRAINING.md, "Pixel policies"): checkpoints of a
    // 20,000-step estimator run on 300 episodes succeeded 0.80, 0.82 and 0.88 at 4,000, 6,000 and
    // 10,000 steps, the last as often as the state policy given the exact pose.
    static final long ESTIMATOR_STEPS = 10_000;

    private CameraRecipe() {}

    /**
     * The estimator's config: the resnet encoder (its training loss fell 20 times faster than the first
     * CNN's, whose keypoints stalled), batch 64, every other field at its default; no crop, which
     * would move the block in the picture while its recorded position stays.
     */
    static EstimatedStateConfig estimator(Path statePolicy, long steps) {
        ObjectNode fields = Json.object().put("image_encoder", "resnet").put("batch", 64).put("steps", steps);
        fields.putArray("image_features").add(CAMERA);
        return new EstimatedStateConfig(statePolicy.toString(), ESTIMATED, fields);
    }

    /**
     * Refuses, before anything runs, an output folder holding a quickstart without the camera (whose
     * dataset has no frames) or an earlier camera quickstart's end-to-end image policy.
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
            JsonNode policy = Json.readTree(run.config()).path("policy");
            if (!EstimatedStateConfig.POLICY.equals(policy.asText())) {
                throw new ParameterException(spec.commandLine(), out.resolve("run") + " holds a " + policy.asText("unknown")
                        + " run, not the camera quickstart's " + EstimatedStateConfig.POLICY + " policy (a quickstart's "
                        + "without --camera, or an earlier one's): give --camera another --out");
            }
        }
    }
}
