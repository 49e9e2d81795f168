package kiban.serve;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.progress.Progress;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.PolicyTrainer;
import kiban.testing.LineCamera;
import kiban.testing.LineEnv;

/**
 * A real training run, small enough to train in a second: an MLP on the line env, two observations,
 * chunks of 4; optionally reading a camera too.
 */
final class TinyRun {

    private TinyRun() {}

    static Path train(Path dir) {
        return train(dir, false);
    }

    /** With {@code camera}, the policy reads {@link LineCamera#CAMERA} besides the state. */
    static Path train(Path dir, boolean camera) {
        return train(dir, camera, "cnn");
    }

    /** As above, its frames encoded by the image encoder {@code encoder} ({@code image_encoder}). */
    static Path train(Path dir, boolean camera, String encoder) {
        SplittableRandom r = new SplittableRandom(3);
        List<Episode> episodes = new ArrayList<>();
        for (int e = 0; e < 10; e++) {
            double pos = r.nextDouble(-5, 5);
            double target = r.nextDouble(-5, 5);
            double[][] obs = new double[12][];
            double[][] act = new double[12][];
            byte[][] frames = new byte[12][];
            for (int t = 0; t < obs.length; t++) {
                obs[t] = new double[] {pos, target};
                act[t] = new double[] {Math.max(-1, Math.min(1, target - pos))};
                frames[t] = LineCamera.strip(target);
                pos += act[t][0];
            }
            episodes.add(camera ? new Episode(obs, act, List.<byte[][]>of(frames)) : new Episode(obs, act));
        }
        TrainingData data = TrainingData.split(LineEnv.EMBODIMENT.state(), LineEnv.EMBODIMENT.action(),
                camera ? List.of(LineCamera.CAMERA) : List.of(), episodes, 0.1, "synthetic", "none");
        TrainConfig config = TrainConfig.defaults().with(c -> {
            c.put("policy", "mlp").put("steps", 20).put("batch", 16).put("seed", 7).put("checkpoint_every", 20)
                    .put("validate_every", 20).put("warmup_steps", 2).put("observation_steps", 2).put("horizon", 4)
                    .put("action_steps", 2).put("validation_fraction", 0.1);
            c.putArray("hidden").add(32).add(32);
            if (camera) {
                c.put("image_feature_dim", 4).put("image_encoder", encoder).putArray("image_features").add(LineCamera.CAMERA.name());
            }
        });
        RunDirectory run = new RunDirectory(dir);
        new PolicyTrainer(config, data, run).train(false,
                Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0));
        return dir;
    }
}
