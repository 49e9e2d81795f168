package kiban.policy.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.PolicyObservation;
import kiban.core.progress.Progress;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;
import kiban.policy.export.TorchScriptExport;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainedPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two tasks whose demonstrations differ only by their instruction: the same states, a move to the
 * left for "go left" and to the right for "go right". Only a policy that reads the instruction can
 * tell them apart.
 */
class InstructionTrainingTest {

    static final String LEFT = "go left";
    static final String RIGHT = "go right";
    static final double[] STATE = {0.3, -0.2};

    /**
     * A LeRobot dataset through kiban-data's writer: episode e poses {@code tasks[e mod k]}; states
     * repeat per task; the action is a speed of 0.75-1.2, to the left for "go left", else to the right.
     */
    static Path dataset(Path dir, List<String> tasks) {
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(10, "line",
                List.of(Feature.of(DatasetEpisodes.OBSERVATION, "float32", 2), Feature.of(DatasetEpisodes.ACTION, "float32", 1))))) {
            for (int e = 0; e < 10 * tasks.size(); e++) {
                String task = tasks.get(e % tasks.size());
                int pair = e / tasks.size();
                for (int t = 0; t < 20; t++) {
                    float[] state = {t / 10f - 1, (pair % 5) / 5f};
                    // The speed varies with the state, so a network (not a recorded constant) gives the action.
                    float speed = 1 + state[0] / 4;
                    w.addFrame(Map.of(DatasetEpisodes.OBSERVATION, state, DatasetEpisodes.ACTION,
                            new float[] {task.equals(LEFT) ? -speed : speed}));
                }
                w.saveEpisode(task);
            }
        }
        return dir;
    }

    private static Progress quiet() {
        return Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0);
    }

    private static double firstAction(TrainedPolicy p, String instruction) {
        p.seed(3);
        return p.infer(new PolicyObservation[] {new PolicyObservation(STATE, Map.of(), instruction)})[0][0];
    }

    private static TrainingData withoutInstructions(TrainingData d) {
        return new TrainingData(d.observation(), d.action(), d.train().stream().map(e -> e.withInstruction("")).toList(),
                d.validation().stream().map(e -> e.withInstruction("")).toList(), d.source(), d.contentHash(), d.images());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp", "flow", "diffusion", "act"})
    void aPolicyTrainedOnTwoTasksFollowsTheInstruction(String policy, @TempDir Path dir) throws Exception {
        TrainingData data = DatasetEpisodes.load(dataset(dir.resolve("data"), List.of(LEFT, RIGHT)), 0.1);
        assertThat(data.instructions()).containsExactly(LEFT, RIGHT);
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new PolicyTrainer(PolicyTrainerTest.config(policy, policy.equals("diffusion") ? 600 : 300), data, run)
                .train(false, quiet());

        var recorded = Json.readTree(run.policy()).path("instructions");
        assertThat(recorded.path("encoder").asText()).isEqualTo("hashed_words");
        assertThat(recorded.path("buckets").asInt()).isEqualTo(32);
        assertThat(recorded.path("trained_on").toString()).isEqualTo("[\"go left\",\"go right\"]");
        try (TrainedPolicy trained = TrainedPolicy.load(run.root())) {
            assertThat(trained.instructions()).containsExactly(LEFT, RIGHT);
            assertThat(firstAction(trained, LEFT)).isLessThan(-0.5);
            assertThat(firstAction(trained, RIGHT)).isGreaterThan(0.5);
            // Casing and punctuation are not words: the instruction as a person might type it.
            assertThat(firstAction(trained, "Go right!")).isGreaterThan(0.5);
            // One batch of both tasks: each row follows its own instruction.
            PolicyObservation left = new PolicyObservation(STATE, Map.of(), LEFT);
            trained.seed(3);
            double[][][] both = trained.inferBatch(new PolicyObservation[][] {{left}, {left.withInstruction(RIGHT)}});
            assertThat(both[0][0][0]).isLessThan(-0.5);
            assertThat(both[1][0][0]).isGreaterThan(0.5);
        }
    }

    @Test
    void withoutTheInstructionTheSameDataTeachesOnlyTheMean(@TempDir Path dir) {
        TrainingData data = withoutInstructions(DatasetEpisodes.load(dataset(dir.resolve("data"), List.of(LEFT, RIGHT)), 0.1));
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new PolicyTrainer(PolicyTrainerTest.config("mlp", 300), data, run).train(false, quiet());
        try (TrainedPolicy trained = TrainedPolicy.load(run.root())) {
            assertThat(trained.instructions()).isEmpty();
            // Half the demonstrations of each state go left and half right: regression learns their mean.
            assertThat(Math.abs(firstAction(trained, LEFT))).isLessThan(0.25);
            assertThat(firstAction(trained, RIGHT)).isEqualTo(firstAction(trained, LEFT));
        }
    }

    @Test
    void aRequestWithoutAnInstructionIsEncodedAsZeros(@TempDir Path dir) {
        TrainingData data = DatasetEpisodes.load(dataset(dir.resolve("data"), List.of(LEFT, RIGHT)), 0.1);
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new PolicyTrainer(PolicyTrainerTest.config("mlp", 20), data, run).train(false, quiet());
        try (TrainedPolicy trained = TrainedPolicy.load(run.root())) {
            double none = firstAction(trained, "");
            assertThat(firstAction(trained, "?!")).isEqualTo(none);
            assertThat(trained.infer(new double[][] {STATE})[0][0]).isEqualTo(none);
            assertThat(firstAction(trained, LEFT)).isNotEqualTo(none);
        }
    }

    @Test
    void aResumedRunReadsInstructionsAsItStarted(@TempDir Path dir) throws Exception {
        TrainingData data = DatasetEpisodes.load(dataset(dir.resolve("data"), List.of(LEFT, RIGHT)), 0.1);
        RunDirectory straight = new RunDirectory(dir.resolve("straight"));
        new PolicyTrainer(PolicyTrainerTest.config("mlp", 40), data, straight).train(false, quiet());
        RunDirectory interrupted = new RunDirectory(dir.resolve("interrupted"));
        new PolicyTrainer(PolicyTrainerTest.config("mlp", 40), data, interrupted).stopAfter(20).train(false, quiet());
        new PolicyTrainer(PolicyTrainerTest.config("mlp", 40), data, interrupted).train(true, quiet());
        assertThat(Files.readAllBytes(interrupted.latestCheckpoint().orElseThrow().resolve("ema.ndlist")))
                .isEqualTo(Files.readAllBytes(straight.latestCheckpoint().orElseThrow().resolve("ema.ndlist")));

        // A run started without instructions (as before Kiban read them) goes on without them on the same data.
        RunDirectory old = new RunDirectory(dir.resolve("old"));
        new PolicyTrainer(PolicyTrainerTest.config("mlp", 40), withoutInstructions(data), old).stopAfter(20)
                .train(false, quiet());
        PolicyTrainer resumed = new PolicyTrainer(PolicyTrainerTest.config("mlp", 40), data, old);
        assertThat(resumed.train(true, quiet()).steps()).isEqualTo(40);
        assertThat(resumed.instructions()).isEmpty();
        try (TrainedPolicy trained = TrainedPolicy.load(old.root())) {
            assertThat(trained.instructions()).isEmpty();
        }
    }

    @Test
    void exportRefusesAPolicyThatFollowsInstructions(@TempDir Path dir) {
        TrainingData data = DatasetEpisodes.load(dataset(dir.resolve("data"), List.of(LEFT, RIGHT)), 0.1);
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new PolicyTrainer(PolicyTrainerTest.config("mlp", 20), data, run).train(false, quiet());
        assertThatThrownBy(() -> TorchScriptExport.export(run.root(), dir.resolve("export"), "python3"))
                .isInstanceOf(KibanException.class).hasMessageContaining("follows instructions")
                .hasMessageContaining("kiban serve");
        assertThat(dir.resolve("export")).doesNotExist();
    }

    @Test
    void aDatasetOfOneTaskTrainsAsItDidWithoutInstructions(@TempDir Path dir) throws Exception {
        TrainingData data = DatasetEpisodes.load(dataset(dir.resolve("data"), List.of(LEFT)), 0.1);
        assertThat(data.instructions()).containsExactly(LEFT);
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        PolicyTrainer trainer = new PolicyTrainer(PolicyTrainerTest.config("mlp", 40), data, run);
        assertThat(trainer.instructions()).isEmpty();
        trainer.train(false, quiet());
        assertThat(Files.readString(run.policy())).doesNotContain("instructions");

        RunDirectory bare = new RunDirectory(dir.resolve("bare"));
        new PolicyTrainer(PolicyTrainerTest.config("mlp", 40), withoutInstructions(data), bare).train(false, quiet());
        for (String file : List.of("model.params", "ema.ndlist")) {
            assertThat(Files.readAllBytes(run.latestCheckpoint().orElseThrow().resolve(file)))
                    .isEqualTo(Files.readAllBytes(bare.latestCheckpoint().orElseThrow().resolve(file)));
        }
        assertThat(Files.readString(run.policy())).isEqualTo(Files.readString(bare.policy()));
        try (TrainedPolicy trained = TrainedPolicy.load(run.root())) {
            assertThat(trained.instructions()).isEmpty();
            assertThat(firstAction(trained, RIGHT)).isEqualTo(firstAction(trained, LEFT));
        }
    }

    @Test
    void episodesCarryTheirFramesTasks(@TempDir Path dir) {
        TrainingData data = DatasetEpisodes.load(dataset(dir.resolve("data"), List.of(LEFT, RIGHT)), 0);
        List<Episode> episodes = data.train();
        assertThat(episodes).hasSize(20);
        for (int e = 0; e < episodes.size(); e++) {
            assertThat(episodes.get(e).instructions()).containsOnly(e % 2 == 0 ? LEFT : RIGHT);
            assertThat(episodes.get(e).actions()[0][0]).isEqualTo(e % 2 == 0 ? -0.75 : 0.75);
        }
    }
}
