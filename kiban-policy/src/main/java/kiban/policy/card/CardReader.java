package kiban.policy.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.PolicyMetadata;
import kiban.data.lerobot.KibanMeta;
import kiban.data.lerobot.LeRobotDataset;
import kiban.policy.run.Instructions;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.RunKind;
import kiban.policy.run.RunKinds;
import kiban.policy.run.ServedEmbodiment;
import kiban.policy.run.TrainedPolicy;

/**
 * Assembles a run's card from its files. Each part is read on its own: a part that is missing or
 * wrong becomes a line of {@link ModelCard#unknown} naming the file and what was wrong, and the
 * rest of the card is still written.
 */
final class CardReader {

    /** How an {@link ModelCard#unknown} line about an unreadable earlier card begins. */
    static final String EARLIER_CARD = "earlier evaluations: ";

    private final RunDirectory run;
    /** Where the checkpoints, losses and metrics are: the run itself, or the training run its kind names. */
    private RunDirectory trained;
    private final List<String> unknown = new ArrayList<>();
    private final JsonNode earlier;

    CardReader(RunDirectory run) {
        this.run = run;
        Path card = ModelCards.json(run);
        this.earlier = Files.exists(card) ? attempt(EARLIER_CARD + card.getFileName(), () -> Json.readTree(card))
                .orElse(MissingNode.getInstance()) : MissingNode.getInstance();
    }

    ModelCard card() {
        JsonNode config = file(run.config()).orElse(Json.object());
        JsonNode lineage = file(run.lineage()).orElse(MissingNode.getInstance());
        Optional<JsonNode> policyFile = file(run.policy());
        String type = policyFile.map(p -> p.path("type").asText("")).filter(t -> !t.isEmpty())
                .orElse(config.path("policy").asText(ModelCard.UNKNOWN));
        // A run of a registered kind (a foundation policy's) describes its own embodiments and network.
        Optional<RunKind> kind = RunKinds.named(type);
        trained = kind.map(k -> k.trainingRun(run.root())).orElse(run);
        Optional<List<ServedEmbodiment>> served = kind.isPresent() && hasCheckpoint()
                ? attempt("the " + type + " run", () -> kind.get().embodiments(run.root())) : Optional.empty();
        long step = attempt("the newest checkpoint", trained::latestStep).orElse(0L);
        if (step == 0) {
            unknown.add("the checkpoint: " + trained.checkpoints() + " holds no complete checkpoint");
        }
        List<CardEmbodiment> embodiments = kind.isPresent() ? servedEmbodiments(kind.get(), served)
                : policyFile.isPresent() ? singleEmbodiment(lineage).map(List::of).orElse(List.of()) : List.of();
        String name = run.root().toAbsolutePath().normalize().getFileName() == null ? ModelCard.UNKNOWN
                : run.root().toAbsolutePath().normalize().getFileName().toString();
        return new ModelCard(name, type, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), KibanBuild.current(), step,
                parameters(kind, step), embodiments, datasets(lineage, embodiments),
                lineage.path("fine_tuned_from").asText(""), lineage.path("freeze").asText(""), config, finalLoss(step),
                validationLoss(step), system(lineage), kind.isPresent() ? heldOut() : Map.of(), evaluations(), unknown);
    }

    private boolean hasCheckpoint() {
        return attempt("the newest checkpoint", trained::latestCheckpoint).flatMap(c -> c).isPresent();
    }

    private List<CardEmbodiment> servedEmbodiments(RunKind kind, Optional<List<ServedEmbodiment>> served) {
        List<CardEmbodiment> out = new ArrayList<>();
        for (ServedEmbodiment e : served.orElse(List.of())) {
            out.add(new CardEmbodiment(e.name(), e.env(), e.metadata(), modes(e.normalizer()), e.trainedOn(),
                    kind.readsInstructions(e)));
        }
        if (served.isEmpty()) {
            unknown.add("the embodiments: the " + kind.type() + " run's policy.json and newest checkpoint could not be read");
        }
        return out;
    }

    /**
     * A single-embodiment run's embodiment. Its name and simulator are the dataset's
     * ({@code meta/kiban.json}, else LeRobot's {@code robot_type}), else the earlier card's; the instructions a policy that reads none
     * was trained on are the dataset's tasks, else the earlier card's.
     */
    private Optional<CardEmbodiment> singleEmbodiment(JsonNode lineage) {
        Optional<PolicyMetadata> metadata = attempt(run.policy().getFileName().toString(), () -> PolicyFiles.read(run.policy()));
        if (metadata.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instructions> reads = attempt("the instructions in policy.json", () -> PolicyFiles.readInstructions(run.policy()))
                .flatMap(i -> i);
        Map<String, String> modes = attempt(run.normalization().getFileName().toString(),
                () -> modes(Normalizer.load(run.normalization()))).orElse(Map.of());
        Optional<Path> dataset = lineage.path("dataset").isTextual() ? Optional.of(Path.of(lineage.path("dataset").asText()))
                .filter(Files::isDirectory) : Optional.empty();
        Optional<KibanMeta> meta = dataset.flatMap(d -> attempt("the dataset's " + KibanMeta.FILE, () -> KibanMeta.read(d)))
                .flatMap(m -> m);
        // As a foundation run names a dataset's embodiment: Kiban's metadata, else LeRobot's robot_type.
        Optional<String> robot = meta.isPresent() ? Optional.empty() : dataset.flatMap(d -> attempt("the dataset's robot_type",
                () -> LeRobotDataset.open(d).info().robotType())).filter(t -> !t.isBlank());
        JsonNode before = earlier.path("embodiments").path(0);
        String name = meta.map(KibanMeta::embodiment).or(() -> robot)
                .orElse(before.path("name").asText(ModelCard.UNKNOWN));
        String env = meta.map(KibanMeta::env).orElse(robot.isPresent() ? "" : before.path("env").asText(""));
        if (name.equals(ModelCard.UNKNOWN)) {
            unknown.add("the embodiment's name: the dataset (lineage.json's dataset) is not at hand or names none, and no "
                    + "earlier card names it");
        }
        List<String> instructions;
        if (reads.isPresent()) {
            instructions = reads.get().trainedOn();
        } else {
            Optional<List<String>> tasks = dataset.flatMap(d -> attempt("the dataset's tasks", () -> LeRobotDataset.open(d).tasks()));
            if (tasks.isEmpty() && before.path("instructions").isArray()) {
                List<String> kept = new ArrayList<>();
                before.path("instructions").forEach(t -> kept.add(t.asText()));
                tasks = Optional.of(kept);
            }
            if (tasks.isEmpty()) {
                unknown.add("the data's task: the dataset (lineage.json's dataset) is not at hand and no earlier card names it");
            }
            instructions = tasks.orElse(List.of());
        }
        return Optional.of(new CardEmbodiment(name, env, metadata.get(), modes, instructions, reads.isPresent()));
    }

    private static Map<String, String> modes(Normalizer normalizer) {
        Map<String, String> out = new LinkedHashMap<>();
        normalizer.featureNames().forEach(f -> out.put(f, normalizer.get(f).mode().wireName()));
        return out;
    }

    private List<CardDataset> datasets(JsonNode lineage, List<CardEmbodiment> embodiments) {
        if (lineage.isMissingNode()) {
            return List.of();
        }
        FieldReader r = FieldReader.root(lineage, run.lineage().toString());
        return attempt("the training data in lineage.json", () -> {
            if (r.has("datasets")) {
                return r.requireList("datasets", d -> new CardDataset(d.requireText("dataset"), d.requireText("dataset_hash"),
                        d.requireText("embodiment"), d.requireDouble("weight", 0, Double.MAX_VALUE),
                        d.requireInt("train_episodes", 0, Integer.MAX_VALUE), d.requireInt("validation_episodes", 0, Integer.MAX_VALUE)));
            }
            String embodiment = embodiments.isEmpty() ? ModelCard.UNKNOWN : embodiments.getFirst().name();
            return List.of(new CardDataset(r.requireText("dataset"), r.requireText("dataset_hash"), embodiment, 1,
                    r.requireInt("train_episodes", 0, Integer.MAX_VALUE), r.requireInt("validation_episodes", 0, Integer.MAX_VALUE)));
        }).orElse(List.of());
    }

    private static Map<String, String> system(JsonNode lineage) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : List.of("java", "os", "engine")) {
            if (lineage.path(key).isTextual()) {
                out.put(key, lineage.path(key).asText());
            }
        }
        return out;
    }

    /** Every parameter of the newest checkpoint's network, counted from the network it loads into. */
    private OptionalLong parameters(Optional<RunKind> kind, long step) {
        if (step == 0) {
            return OptionalLong.empty();
        }
        Optional<Long> n = kind.isPresent() ? attempt("the parameter count", () -> kind.get().parameterCount(run.root()))
                : attempt("the parameter count", () -> {
                    try (TrainedPolicy p = TrainedPolicy.load(run.root())) {
                        return p.parameterCount();
                    }
                });
        return n.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    private double finalLoss(long step) {
        if (step == 0) {
            return Double.NaN;
        }
        return attempt("the final loss", () -> {
            Path state = trained.latestCheckpoint().orElseThrow().resolve("state.json");
            JsonNode loss = Json.readTree(state).path("loss");
            return loss.isNumber() ? loss.asDouble() : Double.NaN;
        }).orElse(Double.NaN);
    }

    /** The last validation loss logged at or before the checkpoint's step; NaN where none was (no episodes held out). */
    private double validationLoss(long step) {
        Path metrics = trained.metricsJsonl();
        if (!Files.isRegularFile(metrics)) {
            unknown.add("the validation loss: " + metrics.getFileName() + " is missing");
            return Double.NaN;
        }
        return attempt(metrics.getFileName().toString(), () -> {
            double last = Double.NaN;
            try (BufferedReader in = Files.newBufferedReader(metrics)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode row = Json.parseTree(line, metrics.toString());
                    if (row.path("step").asLong() <= step && row.path("validation_loss").isNumber()) {
                        last = row.path("validation_loss").asDouble();
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return last;
        }).orElse(Double.NaN);
    }

    /** A foundation run's held-out figures by embodiment ({@code held_out.json}); NaN where an embodiment had none. */
    private Map<String, ModelCard.HeldOutFigures> heldOut() {
        Path file = run.root().resolve("held_out.json");
        Map<String, ModelCard.HeldOutFigures> out = new LinkedHashMap<>();
        file(file).ifPresent(tree -> tree.path("held_out").properties().forEach(e -> out.put(e.getKey(),
                new ModelCard.HeldOutFigures(number(e.getValue().path("action_mse")), number(e.getValue().path("flow_loss"))))));
        return out;
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private List<CardEvaluation> evaluations() {
        if (earlier.isMissingNode() || !earlier.has("evaluations")) {
            return List.of();
        }
        return attempt(EARLIER_CARD + ModelCards.JSON, () -> FieldReader.root(earlier, ModelCards.json(run).toString())
                .requireList("evaluations", CardEvaluation::read)).orElse(List.of());
    }

    /** A file's tree; empty, with the reason noted, where it is missing or not JSON. */
    private Optional<JsonNode> file(Path file) {
        if (!Files.isRegularFile(file)) {
            unknown.add(file.getFileName() + ": missing from the run");
            return Optional.empty();
        }
        return attempt(file.getFileName().toString(), () -> Json.readTree(file));
    }

    /** {@code read}'s value; empty, with {@code what} and the error noted, where it fails. */
    private <T> Optional<T> attempt(String what, Supplier<T> read) {
        try {
            return Optional.ofNullable(read.get());
        } catch (RuntimeException e) {
            unknown.add(what + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
