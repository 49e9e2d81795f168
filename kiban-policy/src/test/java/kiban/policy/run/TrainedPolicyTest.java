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
 * Continuing chunks (real-time chunking) with flow and diffusion policies trained on two-mode
 * demonstrations: from the same states, half the episodes move left and half right, the whole
 * chunk one way. A sample alone may take either mode; a chunk continuing frozen rows of one mode
 * must keep to it. A regression (mlp) policy cannot continue chunks.
 */
class TrainedPolicyTest {

    static final double[] STATE = {-0.5, 0.2};

    @TempDir
    static Path dir;
    static TrainedPolicy flow;
    static TrainedPolicy diffusion;
    static TrainedPolicy mlp;

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
        Path data = twoModes(dir.resolve("data"));
        flow = trained("flow", 800, data);
        diffusion = trained("diffusion", 1500, data);
        mlp = trained("mlp", 10, data);
    }

    private static TrainedPolicy trained(String policy, int steps, Path data) {
        TrainConfig config = TrainConfig.defaults().with(c -> {
            c.put("policy", policy).put("steps", steps).put("batch", 64).put("learning_rate", 3e-3).put("warmup_steps", 10)
                    .put("ema_max_decay", 0.99).put("seed", 7).put("checkpoint_every", steps).put("validate_every", steps)
                    .put("observation_steps", 1).put("horizon", 4).put("action_steps", 2).put("validation_fraction", 0.1);
            c.putArray("hidden").add(64).add(64);
        });
        RunDirectory run = new RunDirectory(dir.resolve(policy));
        new PolicyTrainer(config, DatasetEpisodes.load(data, 0.1), run)
                .train(false, Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0));
        return TrainedPolicy.load(run.root());
    }

    @AfterAll
    static void close() {
        flow.close();
        diffusion.close();
        mlp.close();
    }

    private static PolicyObservation[] history() {
        return new PolicyObservation[] {PolicyObservation.of(STATE)};
    }

    @Test
    void aFlowPolicyContinuesChunksAndSamplesBothModesAlone() {
        assertContinuesChunksAndSamplesBothModes(flow);
    }

    @Test
    void aDiffusionPolicyContinuesChunksAndSamplesBothModesAlone() {
        assertContinuesChunksAndSamplesBothModes(diffusion);
    }

    /** Over 20 seeds, some samples go left of the bimodal data and some right, not all one way. */
    private static void assertContinuesChunksAndSamplesBothModes(TrainedPolicy policy) {
        assertThat(policy.continuesChunks()).isTrue();
        int left = 0;
        for (int seed = 0; seed < 20; seed++) {
            policy.seed(seed);
            left += policy.infer(history())[2][0] < 0 ? 1 : 0;
        }
        assertThat(left).as("samples to the left of 20").isBetween(3, 17);
    }

    @Test
    void frozenRowsAreKeptAndTheRestOfTheChunkMostlyContinuesTheirMode() {
        continuesTheFrozenMode(flow, 18, 6);
    }

    /**
     * Diffusion's guidance is flow's carried over to DDIM (the same weight in other variables), but
     * its denoiser can commit to a mode early, where the clean estimate hardly moves with the sample:
     * it continues the frozen mode less reliably than flow (where this was written, 15 of 20 samples
     * on one side, against 10 of 20 unguided from the same noise).
     */
    @Test
    void aDiffusionPolicyKeepsFrozenRowsAndContinuesTheirMode() {
        continuesTheFrozenMode(diffusion, 14, 4);
    }

    private static void continuesTheFrozenMode(TrainedPolicy policy, int leastKept, int leastGain) {
        double speed = 1 + STATE[0] / 4;
        for (double side : new double[] {-1, 1}) {
            double[][] frozen = {{side * speed}, {side * speed}};
            int kept = 0;
            int alone = 0;
            double[] jumps = new double[20];
            StringBuilder seen = new StringBuilder();
            for (int seed = 0; seed < 20; seed++) {
                policy.seed(seed);
                double[][] chunk = policy.inferContinuing(history(), frozen);
                assertThat(chunk).hasNumberOfRows(4);
                assertThat(chunk[0][0]).isCloseTo(frozen[0][0], within(1e-4));
                assertThat(chunk[1][0]).isCloseTo(frozen[1][0], within(1e-4));
                kept += (chunk[2][0] + chunk[3][0]) * side > 0 ? 1 : 0;
                jumps[seed] = Math.abs(chunk[2][0] - frozen[1][0]);
                policy.seed(seed);
                double[][] free = policy.infer(history());
                alone += (free[2][0] + free[3][0]) * side > 0 ? 1 : 0;
                seen.append(String.format(" %.2f/%.2f", chunk[2][0], chunk[3][0]));
            }
            // Guidance steers the free rows without guaranteeing them: most samples continue the
            // frozen mode, where unfrozen from the same noise about half take it.
            assertThat(kept).as("side %s: free rows of 20 samples:%s", side, seen).isGreaterThanOrEqualTo(leastKept)
                    .isGreaterThanOrEqualTo(alone + leastGain);
            // And smoothly: the typical first free row is nearer the last frozen one than a tenth of the gap between the modes.
            java.util.Arrays.sort(jumps);
            assertThat(jumps[10]).as("side %s: median jump after the frozen rows; free rows:%s", side, seen)
                    .isLessThan(0.2 * speed);
        }
    }

    @Test
    void theSoftMaskAloneStillSteersTheChunkTowardThePreviousOne() {
        // Nothing frozen: the hard mask guides nothing, the soft one draws the chunk toward the previous chunk's rows.
        double speed = 1 + STATE[0] / 4;
        for (TrainedPolicy policy : List.of(flow, diffusion)) {
            for (double side : new double[] {-1, 1}) {
                double[][] following = {{side * speed}, {side * speed}, {side * speed}};
                int soft = 0;
                int hard = 0;
                for (int seed = 0; seed < 20; seed++) {
                    policy.seed(seed);
                    double[][] chunk = policy.inferContinuing(history(), new double[0][], following);
                    soft += (chunk[0][0] + chunk[1][0]) * side > 0 ? 1 : 0;
                    policy.seed(seed);
                    double[][] free = policy.inferContinuing(history(), new double[0][]);
                    hard += (free[0][0] + free[1][0]) * side > 0 ? 1 : 0;
                }
                assertThat(soft).as("%s side %s: samples taking the previous chunk's side, soft against no mask",
                        policy.config().policy(), side).isGreaterThanOrEqualTo(hard + 4);
            }
        }
    }

    @Test
    void theSameSeedSamplesTheSameContinuedChunk() {
        double[][] frozen = {{0.9}};
        double[][] following = {{0.9}, {0.9}};
        for (TrainedPolicy policy : List.of(flow, diffusion)) {
            policy.seed(11);
            double[][] first = policy.inferContinuing(history(), frozen);
            double[][] firstSoft = policy.inferContinuing(history(), frozen, following);
            policy.seed(11);
            assertThat(policy.inferContinuing(history(), frozen)).isDeepEqualTo(first);
            assertThat(policy.inferContinuing(history(), frozen, following)).isDeepEqualTo(firstSoft);
            policy.seed(12);
            assertThat(java.util.Arrays.deepEquals(policy.inferContinuing(history(), frozen), first)).isFalse();
        }
    }

    @Test
    void aRegressionPolicyCannotContinueChunks() {
        assertThat(mlp.continuesChunks()).isFalse();
        assertThatThrownBy(() -> mlp.inferContinuing(history(), new double[][] {{1}}))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("a mlp policy cannot continue a chunk");
        assertThatThrownBy(() -> mlp.inferContinuing(history(), new double[][] {{1}}, new double[][] {{1}}))
                .isInstanceOf(UnsupportedOperationException.class);
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
