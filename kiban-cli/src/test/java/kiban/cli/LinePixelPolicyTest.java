package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.data.lerobot.DatasetValidator;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.table.Table;
import kiban.eval.EpisodeRecord;
import kiban.eval.EvalResult;
import kiban.eval.Evaluator;
import kiban.policy.run.TrainedPolicy;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pixel policies on the {@code line} test env end to end, through the commands: its camera shows
 * only the point's position, the state given to the policy only the target, so the policy must
 * read the picture. Recorded with {@code --video} (H.264, decoded for training), evaluated with
 * the frames the env renders, and corrected by DAgger with the env's expert.
 */
class LinePixelPolicyTest {

    static final String CAMERA = "observation.images.strip";
    /** Training seeds 0..EPISODES-1. */
    static final int EPISODES = 10;

    @TempDir
    static Path dir;
    static Path data;
    static Path config;

    @BeforeAll
    static void record() throws Exception {
        data = dir.resolve("data");
        CliRun record = CliRun.of("data", "record", "--env", "line", "--episodes", String.valueOf(EPISODES), "--seed", "0",
                "--video", "--out", data.toString());
        assertThat(record.exitCode()).as(record.err()).isZero();
        config = dir.resolve("pixels.yaml");
        Files.writeString(config, """
                policy: flow
                image_features: [observation.images.strip]
                state_features: [target]
                image_feature_dim: 16
                hidden: [128, 128]
                observation_steps: 1
                horizon: 2
                action_steps: 1
                batch: 32
                warmup_steps: 50
                validation_fraction: 0
                checkpoint_every: 500
                validate_every: 500
                """);
    }

    /**
     * The acceptance test of pixel policies: trained on a few episodes, the policy replays them. The
     * camera draws the point in one of 32 columns across [-10, 10], so the picture places it to one
     * column (0.625); the expert lands exactly on the target, and the policy must come within that
     * column on every training seed, which it cannot without reading where the point is drawn.
     */
    @Test
    void aTinyPixelPolicyReproducesItsTrainingEpisodes() {
        Path run = dir.resolve("reproduce");
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config", config.toString(), "--steps", "1500",
                "--out", run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        double column = 20.0 / LineEnv.EMBODIMENT.cameras().getFirst().width();
        try (TrainedPolicy p = TrainedPolicy.load(run);
                Env env = EnvRegistry.load().get("line").create(EnvConfig.DEFAULT.withImages(true))) {
            assertThat(p.metadata().images()).hasSize(1);
            EvalResult r = new Evaluator(0).evaluate(env, p, "flow", EPISODES, 0, Progress.to(
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), "eval", "episodes", EPISODES));
            for (EpisodeRecord e : r.episodes()) {
                assertThat(e.metrics().get("closest_distance")).as("seed " + e.seed()).isLessThan(column);
            }
        }
    }

    /**
     * DAgger: a barely trained student drives, and every frame appended is labelled with the
     * expert's action for the state the student reached; the aggregated data is a valid LeRobot
     * dataset with the camera's frames, and the next student is trained on it.
     */
    @Test
    void daggerAggregatesExpertLabelledStatesIntoAValidDataset() throws Exception {
        Path student = dir.resolve("student");
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--config", config.toString(), "--steps", "10",
                "--out", student.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path out = dir.resolve("dagger");
        CliRun dagger = CliRun.of("dagger", "--env", "line", "--policy-run", student.toString(), "--dataset", data.toString(),
                "--rounds", "2", "--episodes", "3", "--steps", "10", "--out", out.toString(), "--json");
        assertThat(dagger.exitCode()).as(dagger.err()).isZero();
        JsonNode rounds = Json.MAPPER.readTree(dagger.out()).get("rounds");
        assertThat(rounds).hasSize(2);
        assertThat(rounds.get(1).get("driver").asText()).isEqualTo(out.resolve("round-1").toString());
        assertThat(rounds.get(1).get("dataset_episodes").asInt()).isEqualTo(EPISODES + 6);

        Path aggregated = out.resolve("data");
        assertThat(DatasetValidator.validate(aggregated).valid()).as(DatasetValidator.validate(aggregated).toString()).isTrue();
        LeRobotDataset d = LeRobotDataset.open(aggregated);
        assertThat(d.episodes()).hasSize(EPISODES + 6);
        assertThat(d.info().videoFeatures()).extracting(f -> f.name()).containsExactly(CAMERA);
        boolean studentStrayed = false;
        for (int e = EPISODES; e < EPISODES + 6; e++) {
            Table t = d.readEpisode(e, Set.of("observation.state", "action"));
            int n = t.rows();
            assertThat(d.videoFrames(CAMERA, e, 0, n)).hasSize(n);
            for (int i = 0; i < n; i++) {
                double pos = t.floats("observation.state").get(i, 0);
                double target = t.floats("observation.state").get(i, 1);
                double label = t.floats("action").get(i, 0);
                // The Chaser expert's action at the state the student reached.
                assertThat(label).as("episode " + e + " frame " + i).isCloseTo(Math.max(-1, Math.min(1, target - pos)),
                        offset(1e-5));
                if (i > 0) {
                    double previousLabel = t.floats("action").get(i - 1, 0);
                    double moved = pos - t.floats("observation.state").get(i - 1, 0);
                    studentStrayed |= Math.abs(moved - previousLabel) > 1e-3;
                }
            }
        }
        // The states come from the student's moves, not the expert's.
        assertThat(studentStrayed).isTrue();
        // The copy is DAgger's; the student's own data is untouched.
        assertThat(LeRobotDataset.open(data).episodes()).hasSize(EPISODES);
        try (TrainedPolicy next = TrainedPolicy.load(out.resolve("round-2"))) {
            assertThat(next.metadata().images()).extracting(i -> i.name()).containsExactly(CAMERA);
        }
    }

    @Test
    void daggerRefusesAFolderThatIsNotEmptyAndARunWithoutConfig() throws Exception {
        Path busy = dir.resolve("busy");
        Files.createDirectories(busy.resolve("something"));
        Path student = dir.resolve("refused-student");
        assertThat(CliRun.of("train", "--dataset", data.toString(), "--config", config.toString(), "--steps", "2",
                "--out", student.toString()).exitCode()).isZero();
        CliRun notEmpty = CliRun.of("dagger", "--env", "line", "--policy-run", student.toString(), "--episodes", "1",
                "--out", busy.toString());
        assertThat(notEmpty.exitCode()).isEqualTo(1);
        assertThat(notEmpty.err()).contains("not empty");
        CliRun noRun = CliRun.of("dagger", "--env", "line", "--policy-run", dir.resolve("nothing").toString(), "--episodes", "1",
                "--out", dir.resolve("fresh").toString());
        assertThat(noRun.exitCode()).isEqualTo(1);
        assertThat(noRun.err()).contains("config.json");
        CliRun noRounds = CliRun.of("dagger", "--env", "line", "--policy-run", student.toString(), "--episodes", "1",
                "--rounds", "0", "--out", dir.resolve("fresh").toString());
        assertThat(noRounds.exitCode()).isEqualTo(2);
        // A camera policy drives a recording only where the env renders its camera.
        CliRun blind = CliRun.of("data", "record", "--env", "line", "--episodes", "1", "--out", dir.resolve("blind").toString(),
                "--driver", student.toString());
        assertThat(blind.exitCode()).isEqualTo(2);
        assertThat(blind.err()).contains("--video");
    }
}
