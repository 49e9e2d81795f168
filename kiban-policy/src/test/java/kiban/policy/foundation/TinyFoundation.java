package kiban.policy.foundation;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import kiban.core.policy.ImageSpec;
import kiban.core.progress.Progress;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.data.video.RgbFrame;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.run.RunDirectory;

/**
 * Foundation runs small enough to train in seconds, for this module's tests and kiban-serve's (through
 * the test jar): datasets of embodiments whose demonstrations differ only by their instruction, a
 * tiny network's config, and a run of two embodiments of different sizes, {@code line} (2 state, 1
 * action element) told to go right or left and {@code arm} (5 state, 3 action elements) told to raise
 * or lower the arm. The datasets carry no Kiban metadata: their embodiments are named by LeRobot's
 * {@code robot_type}.
 */
public final class TinyFoundation {

    public static final String LEFT = "go left";
    public static final String RIGHT = "go right";
    public static final String UP = "raise the arm";
    public static final String DOWN = "lower the arm";

    private TinyFoundation() {}

    /**
     * A dataset of embodiment {@code robot}: {@code stateDim} state elements, {@code actionDim}
     * action elements, ten episode pairs of 20 steps; episode e poses {@code tasks[e mod 2]}, whose
     * action is {@code +speed} in every element for the first task and {@code -speed} for the second,
     * the speed varying with the state so that a network, not a recorded constant, gives it.
     */
    public static Path dataset(Path dir, String robot, int stateDim, int actionDim, List<String> tasks) {
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(10, robot,
                List.of(Feature.of(DatasetEpisodes.OBSERVATION, "float32", stateDim),
                        Feature.of(DatasetEpisodes.ACTION, "float32", actionDim))))) {
            for (int e = 0; e < 10 * tasks.size(); e++) {
                String task = tasks.get(e % tasks.size());
                int pair = e / tasks.size();
                for (int t = 0; t < 20; t++) {
                    float[] state = new float[stateDim];
                    state[0] = t / 10f - 1;
                    for (int j = 1; j < stateDim; j++) {
                        state[j] = ((pair + j) % 5) / 5f;
                    }
                    float speed = 1 + state[0] / 4;
                    float[] action = new float[actionDim];
                    Arrays.fill(action, task.equals(tasks.getFirst()) ? speed : -speed);
                    w.addFrame(Map.of(DatasetEpisodes.OBSERVATION, state, DatasetEpisodes.ACTION, action));
                }
                w.saveEpisode(task);
            }
        }
        return dir;
    }

    /** The {@code eye} embodiment's camera. */
    public static final ImageSpec STRIP = ImageSpec.ofCamera("strip", 16, 32);

    /** The strip for a target in [-5, 5]: white, with a red column where the target is. */
    public static byte[] strip(double target) {
        byte[] rgb = new byte[STRIP.bytes()];
        Arrays.fill(rgb, (byte) 255);
        int col = (int) Math.round((target + 5) / 10 * (STRIP.width() - 2));
        for (int row = 0; row < STRIP.height(); row++) {
            for (int c = col; c < col + 2; c++) {
                int i = (row * STRIP.width() + c) * 3;
                rgb[i + 1] = 0;
                rgb[i + 2] = 0;
            }
        }
        return rgb;
    }

    /** The expert's step toward the target, at most 1 each way. */
    static float expert(double pos, double target) {
        return (float) Math.max(-1, Math.min(1, target - pos));
    }

    /**
     * A dataset of embodiment {@code eye}, whose target is only in its camera's picture: {@code episodes}
     * episodes of 10 steps from random positions to random targets, the state the position only, the
     * strip a LeRobot video.
     */
    public static Path eye(Path dir, int episodes) {
        SplittableRandom r = new SplittableRandom(11);
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(10, "eye",
                List.of(Feature.of(DatasetEpisodes.OBSERVATION, "float32", 1), Feature.of(DatasetEpisodes.ACTION, "float32", 1),
                        Feature.video(STRIP.name(), STRIP.height(), STRIP.width(), 10))))) {
            for (int e = 0; e < episodes; e++) {
                double pos = r.nextDouble(-5, 5);
                double target = r.nextDouble(-5, 5);
                for (int t = 0; t < 10; t++) {
                    float a = expert(pos, target);
                    w.addFrame(Map.of(DatasetEpisodes.OBSERVATION, new float[] {(float) pos}, DatasetEpisodes.ACTION,
                            new float[] {a}, STRIP.name(), new RgbFrame(STRIP.height(), STRIP.width(), strip(target))));
                    pos += a;
                }
                w.saveEpisode("reach the target you see");
            }
        }
        return dir;
    }

    /** A tiny network (width 32, 2 layers, horizon 4) trained for {@code steps}, checkpointed and validated every 50. */
    public static FoundationConfig config(long steps) {
        return FoundationConfig.defaults().with(c -> c.put("steps", steps).put("batch", 32).put("learning_rate", 2e-3)
                .put("warmup_steps", 10).put("ema_max_decay", 0.99).put("seed", 5).put("checkpoint_every", 50)
                .put("validate_every", 50).put("observation_steps", 1).put("horizon", 4).put("action_steps", 2)
                .put("model_dim", 32).put("heads", 4).put("layers", 2).put("flow_steps", 5).put("vocabulary", 64)
                .put("max_tokens", 6).put("validation_fraction", 0.1));
    }

    public static Progress quiet() {
        return Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0);
    }

    /** Each dataset once in the mixture, a tenth of its episodes held out. */
    public static List<MixData> mix(Path... dirs) {
        return Arrays.stream(dirs).map(d -> MixData.load(new MixSource(d, 1), 0.1)).toList();
    }

    /** {@link #config} with the {@code eye} embodiment reading {@link #STRIP} through a CNN of 8 features. */
    public static FoundationConfig withEye(FoundationConfig c) {
        return c.with(t -> t.put("image_feature_dim", 8).putObject("image_features").putArray("eye").add(STRIP.name()));
    }

    /**
     * The {@code line} and {@code eye} ({@code eyeEpisodes} episodes) datasets in {@code dir} and a run
     * on both trained for {@code steps}, two of three batches the eye's; returns the run's folder.
     */
    public static Path trainWithEye(Path dir, long steps, int eyeEpisodes) {
        Path line = dataset(dir.resolve("line"), "line", 2, 1, List.of(RIGHT, LEFT));
        Path eye = eye(dir.resolve("eye"), eyeEpisodes);
        FoundationConfig c = withEye(config(steps));
        // The eye's CNN has more to learn than the line's instructions: two of three batches are its.
        List<MixData> mix = List.of(MixData.load(new MixSource(line, 1), 0.1, c::imageFeatures),
                MixData.load(new MixSource(eye, 2), 0.1, c::imageFeatures));
        Path run = dir.resolve("run");
        new FoundationTrainer(c, mix, new RunDirectory(run), Optional.empty()).train(false, quiet());
        return run;
    }

    /**
     * The {@code line} and {@code arm} datasets in {@code dir} and a run on both trained for
     * {@code steps}, checkpointed and validated once at the end; returns the run's folder. A chunk's
     * sign says which instruction and its width which embodiment reached the network.
     */
    public static Path train(Path dir, long steps) {
        Path line = dataset(dir.resolve("line"), "line", 2, 1, List.of(RIGHT, LEFT));
        Path arm = dataset(dir.resolve("arm"), "arm", 5, 3, List.of(UP, DOWN));
        Path run = dir.resolve("run");
        new FoundationTrainer(config(steps).with(c -> c.put("checkpoint_every", steps).put("validate_every", steps)),
                mix(line, arm), new RunDirectory(run), Optional.empty()).train(false, quiet());
        return run;
    }
}
