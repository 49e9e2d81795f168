package kiban.policy.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.run.RunDirectory;
import kiban.policy.train.PolicyTrainer;
import kiban.policy.run.TrainConfig;
import kiban.policy.data.TrainingData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The card a trained run gets, what an evaluation adds, and a card of a run that lacks files. */
class ModelCardsTest {

    static final String LEFT = "go left";
    static final String RIGHT = "go right";
    static final List<Integer> HIDDEN = List.of(24, 16);

    @TempDir
    static Path shared;
    static Path data;
    static RunDirectory trained;

    /** A two-task dataset of LeRobot's robot_type "line": 2 state elements, 1 action element. */
    static Path dataset(Path dir) {
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(10, "line",
                List.of(Feature.of(DatasetEpisodes.OBSERVATION, "float32", 2), Feature.of(DatasetEpisodes.ACTION, "float32", 1))))) {
            for (int e = 0; e < 12; e++) {
                String task = e % 2 == 0 ? LEFT : RIGHT;
                for (int t = 0; t < 10; t++) {
                    w.addFrame(Map.of(DatasetEpisodes.OBSERVATION, new float[] {t / 10f, e / 12f}, DatasetEpisodes.ACTION,
                            new float[] {task.equals(LEFT) ? -1 : 1}));
                }
                w.saveEpisode(task);
            }
        }
        return dir;
    }

    static TrainConfig config(long steps) {
        return TrainConfig.defaults().with(c -> {
            c.put("policy", "mlp").put("steps", steps).put("batch", 16).put("learning_rate", 1e-3).put("warmup_steps", 2)
                    .put("seed", 3).put("checkpoint_every", 10).put("validate_every", 10).put("observation_steps", 1)
                    .put("horizon", 4).put("action_steps", 2).put("validation_fraction", 0.2);
            var hidden = c.putArray("hidden");
            HIDDEN.forEach(hidden::add);
        });
    }

    static Progress quiet() {
        return Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0);
    }

    static TrainingData load() {
        return DatasetEpisodes.load(data, 0.2);
    }

    @BeforeAll
    static void train() {
        data = dataset(shared.resolve("data"));
        trained = new RunDirectory(shared.resolve("run"));
        new PolicyTrainer(config(20), load(), trained).train(false, quiet());
    }

    static CardEvaluation evaluation(long step, double success) {
        return new CardEvaluation("2026-01-02T03:04:05Z", step, "", "line", List.of("left", "right"), 10, 100000, "chunks", 2, 1,
                "", success, success / 2, (1 + success) / 2, 0.25, Map.of("left", new CardEvaluation.TaskResult(5, success, 0.1, 0.9),
                        "right", new CardEvaluation.TaskResult(5, success, 0.1, 0.9)));
    }

    static RunDirectory copy(Path to) throws Exception {
        try (Stream<Path> s = Files.walk(trained.root())) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(trained.root().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return new RunDirectory(to);
    }

    /** What git says HEAD is where the test runs; "unknown" where it cannot say. */
    static String gitHead() throws Exception {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? out : KibanBuild.UNKNOWN;
        } catch (java.io.IOException e) {
            return KibanBuild.UNKNOWN;
        }
    }

    @Test
    void aTrainedRunHasACardOfItsEmbodimentDataNetworkAndTraining() throws Exception {
        JsonNode card = Json.readTree(ModelCards.json(trained));
        JsonNode lineage = Json.readTree(trained.lineage());
        assertThat(card.path("format_version").asInt()).isEqualTo(ModelCard.FORMAT_VERSION);
        assertThat(card.path("policy").asText()).isEqualTo("mlp");
        assertThat(card.path("checkpoint_step").asLong()).isEqualTo(20);
        // An MLP over 2 states and the 32 instruction buckets to 4 steps x 1 action, with a LayerNorm per hidden layer.
        int in = 2 + 32;
        long expected = 0;
        for (int width : HIDDEN) {
            expected += (long) in * width + width + 2L * width;
            in = width;
        }
        expected += in * 4L + 4;
        assertThat(card.path("parameters").asLong()).isEqualTo(expected);

        JsonNode embodiment = card.path("embodiments").get(0);
        assertThat(embodiment.path("name").asText()).isEqualTo("line");
        assertThat(embodiment.path("reads_instructions").asBoolean()).isTrue();
        assertThat(embodiment.path("instructions").toString()).isEqualTo("[\"go left\",\"go right\"]");
        assertThat(embodiment.path("observation").get(0).path("name").asText()).isNotEmpty();
        assertThat(embodiment.path("observation").get(0).has("unit")).isTrue();
        assertThat(embodiment.path("normalization").size()).isEqualTo(2);
        Json.readTree(trained.normalization()).path("features").properties().forEach(f -> assertThat(
                embodiment.path("normalization").path(f.getKey()).asText()).isEqualTo(f.getValue().path("mode").asText()));

        JsonNode dataset = card.path("training").path("datasets").get(0);
        assertThat(dataset.path("dataset_hash").asText()).isEqualTo(lineage.path("dataset_hash").asText()).isNotEmpty();
        assertThat(dataset.path("dataset").asText()).isEqualTo(data.toString());
        assertThat(dataset.path("train_episodes").asInt() + dataset.path("validation_episodes").asInt()).isEqualTo(12);
        assertThat(card.path("training").path("final_loss").isNumber()).isTrue();
        assertThat(card.path("training").path("validation_loss").isNumber()).isTrue();
        assertThat(card.path("training").path("config")).isEqualTo(Json.readTree(trained.config()));
        assertThat(card.path("training").path("system").path("java").asText()).isEqualTo(lineage.path("java").asText());

        assertThat(card.path("kiban").path("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(card.path("kiban").path("commit").asText()).isEqualTo(gitHead());
        assertThat(card.path("evaluations").size()).isZero();
        assertThat(card.path("unknown").size()).as(card.path("unknown").toString()).isZero();

        String md = Files.readString(ModelCards.markdown(trained));
        assertThat(md).contains("# run", "### line", "\"go left\"", "\"go right\"", lineage.path("dataset_hash").asText(),
                String.format(java.util.Locale.ROOT, "%,d", expected), "## Intended use and limits");
    }

    @Test
    void evaluationsAreAddedReadBackAndKeptWhenAResumedRunFinishes(@TempDir Path dir) throws Exception {
        RunDirectory run = copy(dir.resolve("run"));
        CardEvaluation first = evaluation(20, 0.5);
        ModelCards.addEvaluation(run, first);
        ModelCards.addEvaluation(run, evaluation(20, 0.75));
        JsonNode card = Json.readTree(ModelCards.json(run));
        assertThat(card.path("evaluations").size()).isEqualTo(2);
        assertThat(CardEvaluation.read(FieldReader.root(card.path("evaluations").get(0), "card"))).isEqualTo(first);
        assertThat(card.path("evaluations").get(0).path("seeds").toString()).isEqualTo("[100000,100009]");
        assertThat(Files.readString(ModelCards.markdown(run))).contains("0.500 (0.250-0.750)", "0.750 (0.375-0.875)",
                "100000-100009", "Success by task");

        // A resumed run rewrites the card for its newest checkpoint and keeps what was evaluated before.
        new PolicyTrainer(config(30), load(), run).train(true, quiet());
        card = Json.readTree(ModelCards.json(run));
        assertThat(card.path("checkpoint_step").asLong()).isEqualTo(30);
        assertThat(card.path("evaluations").size()).isEqualTo(2);
        assertThat(card.path("evaluations").get(1).path("step").asLong()).isEqualTo(20);
    }

    @Test
    void aRunWithoutLineageOrMetricsGetsACardThatSaysWhatItDoesNotKnow(@TempDir Path dir) throws Exception {
        RunDirectory run = copy(dir.resolve("old"));
        Files.delete(run.lineage());
        Files.delete(run.metricsJsonl());
        Files.delete(ModelCards.json(run));
        ModelCard card = ModelCards.addEvaluation(run, evaluation(20, 1));
        assertThat(card.data()).isEmpty();
        assertThat(card.system()).isEmpty();
        assertThat(card.validationLoss()).isNaN();
        assertThat(card.parameters()).isPresent();
        List<String> unknown = new ArrayList<>(card.unknown());
        assertThat(unknown).anyMatch(u -> u.startsWith("lineage.json")).anyMatch(u -> u.contains("metrics.jsonl"));
        // Without lineage the dataset cannot be found, and no earlier card named the embodiment.
        assertThat(card.embodiments().getFirst().name()).isEqualTo(ModelCard.UNKNOWN);
        assertThat(Files.readString(ModelCards.markdown(run))).contains("What this card does not know", "lineage.json");
        assertThat(Json.readTree(ModelCards.json(run)).path("evaluations").size()).isEqualTo(1);
    }

    @Test
    void anEarlierCardThatCannotBeReadIsKeptBesideTheNewOne(@TempDir Path dir) throws Exception {
        RunDirectory run = copy(dir.resolve("run"));
        Files.writeString(ModelCards.json(run), "{\"evaluations\": [{\"env\": 3}]}");
        ModelCard card = ModelCards.addEvaluation(run, evaluation(20, 1));
        assertThat(card.evaluations()).hasSize(1);
        assertThat(card.unknown()).anyMatch(u -> u.startsWith("earlier evaluations") && u.contains("evaluations[0]"));
        assertThat(run.root().resolve(ModelCards.UNREADABLE)).hasContent("{\"evaluations\": [{\"env\": 3}]}");
        // The name the earlier card could not give comes from the dataset, still at hand.
        assertThat(card.embodiments().getFirst().name()).isEqualTo("line");
    }
}
