package kiban.serve;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kiban.core.progress.Progress;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.foundation.FoundationConfig;
import kiban.policy.foundation.FoundationTrainer;
import kiban.policy.foundation.MixData;
import kiban.policy.foundation.MixSource;
import kiban.policy.run.RunDirectory;

/**
 * A real foundation run of two embodiments of different sizes, small enough to train in seconds:
 * {@code line} (2 state, 1 action element) told to go right or left, {@code arm} (5 state, 3 action
 * elements) told to raise or lower the arm; each dataset's demonstrations differ only by their
 * instruction (the action is {@code +speed} in every element for the first, {@code -speed} for the
 * second), so a served chunk's sign says which instruction and its width which embodiment reached
 * the network.
 */
final class TinyFoundationRun {

    static final String RIGHT = "go right";
    static final String LEFT = "go left";
    static final String UP = "raise the arm";
    static final String DOWN = "lower the arm";

    private TinyFoundationRun() {}

    static Path train(Path dir, long steps) {
        Path line = dataset(dir.resolve("line"), "line", 2, 1, List.of(RIGHT, LEFT));
        Path arm = dataset(dir.resolve("arm"), "arm", 5, 3, List.of(UP, DOWN));
        FoundationConfig config = FoundationConfig.defaults().with(c -> c.put("steps", steps).put("batch", 32)
                .put("learning_rate", 2e-3).put("warmup_steps", 10).put("ema_max_decay", 0.99).put("seed", 5)
                .put("checkpoint_every", steps).put("validate_every", steps).put("observation_steps", 1).put("horizon", 4)
                .put("action_steps", 2).put("model_dim", 32).put("heads", 4).put("layers", 2).put("flow_steps", 5)
                .put("vocabulary", 64).put("max_tokens", 6).put("validation_fraction", 0.1));
        List<MixData> mix = List.of(MixData.load(new MixSource(line, 1), 0.1), MixData.load(new MixSource(arm, 1), 0.1));
        Path run = dir.resolve("run");
        new FoundationTrainer(config, mix, new RunDirectory(run), Optional.empty()).train(false,
                Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0));
        return run;
    }

    /** Ten episode pairs of 20 steps; the speed varies with the state so that a network, not a constant, gives it. */
    private static Path dataset(Path dir, String robot, int stateDim, int actionDim, List<String> tasks) {
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
}
