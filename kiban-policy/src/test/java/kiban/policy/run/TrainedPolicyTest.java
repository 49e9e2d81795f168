package kiban.policy.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiban.core.policy.PolicyObservation;
import kiban.core.progress.Progress;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.train.PolicyTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuing chunks (real-time chunking) with a flow policy trained on two-mode demonstrations:
 * from the same states, half the episodes move left and half right, the whole chunk one way. A
 * sample alone may take either mode; a chunk continuing frozen rows of one mode must keep to it.
 */
class TrainedPolicyTest {

    static final double[] STATE = {-0.5, 0.2};

    @TempDir
    static Path dir;
    static TrainedPolicy flow;

    /** Episode e moves at 1 + x/4 per step, to the left for even e. */
    static Path twoModes(Path out) {
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(out, LeRobotDatasetWriter.Options.of(10, "line",
                List.of(Feature.of(DatasetEpisodes.OBSERVATION, "float32", 2), Feature.of(DatasetEpisodes.ACTION, "float32", 1))))) {
            for (int e = 0; e < 20; e++) {
                for (int t = 0; t < 20; t++) {
                    float[] state = {t / 10f - 1, ((e / 2) % 5) / 5f};
                    float speed = 1 + state[0] / 4;
                    w.addFrame(Map.of(DatasetEpisodes.OBSERVATION, state, DatasetEpisodes.ACTION,
                            new float[] {e % 2 == 0 ? -speed : speed}));
                }
                w.saveEpisode("move");
            }
        }
        return out;
    }

    @BeforeAll
    static void train() {
        TrainConfig config = TrainConfig.defaults().with(c -> {
            c.put("policy", "flow").put("steps", 800).put("batch", 64).put("learning_rate", 3e-3).put("warmup_steps", 10)
                    .put("ema_max_decay", 0.99).put("seed", 7).put("checkpoint_every", 800).put("validate_every", 800)
                    .put("observation_steps", 1).put("horizon", 4).put("action_steps", 2).put("validation_fraction", 0.1);
            c.putArray("hidden").add(64).add(64);
        });
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new PolicyTrainer(config, DatasetEpisodes.load(twoModes(dir.resolve("data")), 0.1), run)
                .train(false, Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0));
        flow = TrainedPolicy.load(run.root());
    }

    @AfterAll
    static void close() {
        flow.close();
    }

    private static PolicyObservation[] history() {
        return new PolicyObservation[] {PolicyObservation.of(STATE)};
    }

    @Test
    void aFlowPolicyContinuesChunksAndSamplesBothModesAlone() {
        assertThat(flow.continuesChunks()).isTrue();
        int left = 0;
        for (int seed = 0; seed < 20; seed++) {
            flow.seed(seed);
            left += flow.infer(history())[2][0] < 0 ? 1 : 0;
        }
        assertThat(left).as("samples to the left of 20").isBetween(3, 17);
    }

    @Test
    void frozenRowsAreKeptAndTheRestOfTheChunkMostlyContinuesTheirMode() {
        double speed = 1 + STATE[0] / 4;
        for (double side : new double[] {-1, 1}) {
            double[][] frozen = {{side * speed}, {side * speed}};
            int kept = 0;
            int alone = 0;
            StringBuilder seen = new StringBuilder();
            for (int seed = 0; seed < 20; seed++) {
                flow.seed(seed);
                double[][] chunk = flow.inferContinuing(history(), frozen);
                assertThat(chunk).hasNumberOfRows(4);
                assertThat(chunk[0][0]).isCloseTo(frozen[0][0], within(1e-4));
                assertThat(chunk[1][0]).isCloseTo(frozen[1][0], within(1e-4));
                kept += (chunk[2][0] + chunk[3][0]) * side > 0 ? 1 : 0;
                flow.seed(seed);
                double[][] free = flow.infer(history());
                alone += (free[2][0] + free[3][0]) * side > 0 ? 1 : 0;
                seen.append(String.format(" %.2f/%.2f", chunk[2][0], chunk[3][0]));
            }
            // Guidance steers the free rows without guaranteeing them: nearly every sample continues the
            // frozen mode, where unfrozen from the same noise about half take it.
            assertThat(kept).as("side %s: free rows of 20 samples:%s", side, seen).isGreaterThanOrEqualTo(18)
                    .isGreaterThanOrEqualTo(alone + 6);
        }
    }

    @Test
    void withoutFrozenRowsItSamplesAsInfer() {
        flow.seed(3);
        double[][] plain = flow.infer(history());
        flow.seed(3);
        assertThat(flow.inferContinuing(history(), new double[0][])).isDeepEqualTo(plain);
    }

    @Test
    void frozenRowsOfTheWrongWidthOrTooManyAreRefused() {
        assertThatThrownBy(() -> flow.inferContinuing(history(), new double[][] {{1, 2}}))
                .hasMessageContaining("frozen row 0 has 2 values; the policy's actions have 1");
        assertThatThrownBy(() -> flow.inferContinuing(history(), new double[5][1]))
                .hasMessageContaining("at most the 4-step horizon");
    }
}
