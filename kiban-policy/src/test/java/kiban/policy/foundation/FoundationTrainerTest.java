package kiban.policy.foundation;

import static kiban.policy.foundation.TinyFoundation.DOWN;
import static kiban.policy.foundation.TinyFoundation.LEFT;
import static kiban.policy.foundation.TinyFoundation.RIGHT;
import static kiban.policy.foundation.TinyFoundation.UP;
import static kiban.policy.foundation.TinyFoundation.config;
import static kiban.policy.foundation.TinyFoundation.dataset;
import static kiban.policy.foundation.TinyFoundation.mix;
import static kiban.policy.foundation.TinyFoundation.quiet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import kiban.core.error.KibanException;
import kiban.core.error.UnknownNameException;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.policy.card.ModelCards;
import kiban.policy.run.Policies;
import kiban.policy.run.RunDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One foundation network over two embodiments of different sizes whose demonstrations differ only
 * by their instruction, then fine-tuned to a third. The datasets carry no Kiban metadata: their
 * embodiments are named by LeRobot's {@code robot_type}.
 */
class FoundationTrainerTest {

    @TempDir
    static Path shared;
    static Path line;
    static Path arm;
    static RunDirectory pretrained;

    static double first(Policy p, double[] state, String instruction) {
        p.seed(3);
        return p.infer(new PolicyObservation[] {new PolicyObservation(state, Map.of(), instruction)})[0][0];
    }

    @BeforeAll
    static void pretrain() {
        line = dataset(shared.resolve("line"), "line", 2, 1, List.of(RIGHT, LEFT));
        arm = dataset(shared.resolve("arm"), "arm", 5, 3, List.of(UP, DOWN));
        pretrained = new RunDirectory(shared.resolve("pretrained"));
        new FoundationTrainer(config(400), mix(line, arm), pretrained, Optional.empty()).train(false, quiet());
    }

    @Test
    void oneNetworkFollowsInstructionsOnEveryEmbodiment() {
        try (Policy l = Policies.load(pretrained.root(), Optional.of("line"));
                Policy a = Policies.load(pretrained.root(), Optional.of("arm"))) {
            assertThat(l.metadata().actionDim()).isEqualTo(1);
            assertThat(a.metadata().actionDim()).isEqualTo(3);
            double[] s = {0.2, 0.4};
            assertThat(first(l, s, RIGHT)).isGreaterThan(0.5);
            assertThat(first(l, s, LEFT)).isLessThan(-0.5);
            assertThat(first(l, s, "Go LEFT!")).isLessThan(-0.5);
            double[] t = {0.2, 0.4, 0.6, 0.8, 0.0};
            assertThat(first(a, t, UP)).isGreaterThan(0.5);
            assertThat(first(a, t, DOWN)).isLessThan(-0.5);
            // One batch of both tasks: each row follows its own instruction.
            PolicyObservation up = new PolicyObservation(t, Map.of(), UP);
            a.seed(3);
            double[][][] both = a.inferBatch(new PolicyObservation[][] {{up}, {up.withInstruction(DOWN)}});
            assertThat(java.util.Arrays.stream(both[0][0]).min().orElseThrow()).isGreaterThan(0.5);
            assertThat(java.util.Arrays.stream(both[1][0]).max().orElseThrow()).isLessThan(-0.5);
        }
        var policy = Json.readTree(pretrained.policy());
        assertThat(policy.path("type").asText()).isEqualTo("foundation");
        assertThat(policy.path("embodiments").get(0).path("name").asText()).isEqualTo("line");
        assertThat(policy.path("embodiments").get(1).path("trained_on").toString())
                .isEqualTo("[\"lower the arm\",\"raise the arm\"]");
        assertThat(Json.readTree(pretrained.root().resolve(HeldOut.FILE)).path("held_out").path("arm").path("action_mse")
                .asDouble()).isBetween(0.0, 0.5);
    }

    @Test
    void thePretrainedRunHasACardOfEveryEmbodimentAndDataset() throws Exception {
        JsonNode card = Json.readTree(ModelCards.json(pretrained));
        assertThat(card.path("policy").asText()).isEqualTo("foundation");
        // Pretraining trains every parameter, so the EMA holds each one once.
        long averaged = 0;
        try (NDManager m = NDManager.newBaseManager();
                var in = Files.newInputStream(pretrained.latestCheckpoint().orElseThrow().resolve("ema.ndlist"))) {
            for (NDArray a : NDList.decode(m, in)) {
                averaged += a.size();
            }
        }
        assertThat(card.path("parameters").asLong()).isEqualTo(averaged).isPositive();
        assertThat(card.path("embodiments")).extracting(e -> e.path("name").asText()).containsExactly("line", "arm");
        assertThat(card.path("embodiments").get(1).path("instructions").toString()).isEqualTo("[\"lower the arm\",\"raise the arm\"]");
        assertThat(card.path("embodiments").get(1).path("action").get(0).path("shape").get(0).asInt()).isEqualTo(3);
        JsonNode lineage = Json.readTree(pretrained.lineage());
        for (int i = 0; i < 2; i++) {
            JsonNode d = card.path("training").path("datasets").get(i);
            assertThat(d.path("dataset_hash").asText()).isEqualTo(lineage.path("datasets").get(i).path("dataset_hash").asText());
            assertThat(d.path("weight").asDouble()).isEqualTo(1.0);
        }
        JsonNode heldOut = Json.readTree(pretrained.root().resolve(HeldOut.FILE)).path("held_out");
        assertThat(card.path("held_out").path("arm").path("action_mse").asDouble())
                .isEqualTo(heldOut.path("arm").path("action_mse").asDouble());
        assertThat(card.path("unknown").size()).as(card.path("unknown").toString()).isZero();
        String md = Files.readString(ModelCards.markdown(pretrained));
        assertThat(md).contains("### line", "### arm", "\"" + LEFT + "\"", "\"" + RIGHT + "\"", "\"" + UP + "\"", "\"" + DOWN + "\"",
                "action MSE");
    }

    @Test
    void aCheckpointOfSeveralEmbodimentsIsServedForTheOneNamed() {
        assertThatThrownBy(() -> Policies.load(pretrained.root()))
                .isInstanceOf(KibanException.class).hasMessageContaining("serves 2 embodiments [line, arm]")
                .hasMessageContaining("--embodiment");
        assertThatThrownBy(() -> Policies.load(pretrained.root(), Optional.of("lime")))
                .isInstanceOf(UnknownNameException.class).hasMessageContaining("line");
    }

    @Test
    void eachHistoryIsAnsweredForTheEmbodimentItsObservationNames() {
        double[] s = {0.2, 0.4};
        double[] t = {0.2, 0.4, 0.6, 0.8, 0.0};
        PolicyObservation right = new PolicyObservation(s, Map.of(), RIGHT);
        PolicyObservation up = new PolicyObservation(t, Map.of(), UP);
        try (Policy l = Policies.load(pretrained.root(), Optional.of("line"));
                Policy a = Policies.load(pretrained.root(), Optional.of("arm"))) {
            // Flow sampling draws noise per forward pass: seed each pass alike so that one row is comparable to a batch's.
            l.seed(3);
            double[][] lineAlone = l.infer(new PolicyObservation[] {right});
            a.seed(3);
            double[][] armAlone = a.infer(new PolicyObservation[] {up});
            // The line's policy answers an observation naming the arm with the arm's heads, in the arm's units.
            l.seed(3);
            double[][] armFromLine = l.infer(new PolicyObservation[] {up.withEmbodiment("arm")});
            assertThat(armFromLine).isDeepEqualTo(armAlone);
            assertThat(armFromLine[0]).hasSize(3);
            // A mixed batch runs one pass per embodiment, the line's first: each row comes back in its place.
            l.seed(3);
            double[][][] mixed = l.inferBatch(new PolicyObservation[][] {{up.withEmbodiment("ARM")}, {right}});
            assertThat(mixed[1]).isDeepEqualTo(lineAlone);
            assertThat(mixed[0][0]).hasSize(3);
            assertThatThrownBy(() -> l.infer(new PolicyObservation[] {up.withEmbodiment("crane")}))
                    .isInstanceOf(UnknownNameException.class).hasMessageContaining("crane").hasMessageContaining("arm");
            // An observation with the other embodiment's state size but naming none is the loaded embodiment's, and refused.
            assertThatThrownBy(() -> l.infer(new PolicyObservation[] {up})).hasMessageContaining("line embodiment's have 2");
            // A view of the same network answers for the arm by default, as a policy loaded for it does; closing it keeps the network.
            try (Policy view = ((FoundationPolicy) l).answeringFor("arm")) {
                assertThat(view.metadata()).isEqualTo(a.metadata());
                view.seed(3);
                assertThat(view.infer(new PolicyObservation[] {up})).isDeepEqualTo(armAlone);
            }
            l.seed(3);
            assertThat(l.infer(new PolicyObservation[] {right})).isDeepEqualTo(lineAlone);
        }
    }

    @Test
    void aResumedRunEndsWhereAStraightOneDoes(@TempDir Path dir) throws Exception {
        RunDirectory straight = new RunDirectory(dir.resolve("straight"));
        new FoundationTrainer(config(60), mix(line, arm), straight, Optional.empty()).train(false, quiet());
        RunDirectory interrupted = new RunDirectory(dir.resolve("interrupted"));
        new FoundationTrainer(config(60), mix(line, arm), interrupted, Optional.empty()).stopAfter(50).train(false, quiet());
        assertThat(interrupted.latestStep()).isEqualTo(50);
        new FoundationTrainer(config(60), mix(line, arm), interrupted, Optional.empty()).train(true, quiet());
        assertThat(Files.readAllBytes(interrupted.latestCheckpoint().orElseThrow().resolve("ema.ndlist")))
                .isEqualTo(Files.readAllBytes(straight.latestCheckpoint().orElseThrow().resolve("ema.ndlist")));
        // Another mixture cannot continue it.
        assertThatThrownBy(() -> new FoundationTrainer(config(80), mix(line), interrupted, Optional.empty()).train(true, quiet()))
                .isInstanceOf(KibanException.class).hasMessageContaining("another mixture");
    }

    @Test
    void fineTuningAddsAnEmbodimentAndAFrozenTrunkKeepsItsWeights(@TempDir Path dir) throws Exception {
        Path gripper = dataset(dir.resolve("gripper"), "gripper", 4, 2, List.of("open", "close"));
        RunDirectory tuned = new RunDirectory(dir.resolve("tuned"));
        FoundationCheckpoint base = FoundationCheckpoint.open(pretrained.root());
        var result = new FoundationTrainer(config(300), mix(gripper), tuned,
                Optional.of(new FoundationTrainer.Base(base, FoundationTrainer.Freeze.TRUNK))).train(false, quiet());
        assertThat(result.embodiments()).extracting(FoundationEmbodiment::name).containsExactly("line", "arm", "gripper");
        try (Policy g = Policies.load(tuned.root(), Optional.of("gripper"));
                Policy l = Policies.load(tuned.root(), Optional.of("line"));
                Policy before = Policies.load(pretrained.root(), Optional.of("line"))) {
            double[] s = {0.2, 0.4, 0.1, 0.3};
            assertThat(first(g, s, "open")).isGreaterThan(0.5);
            assertThat(first(g, s, "close")).isLessThan(-0.5);
            // Only the new heads trained: the embodiments it had act as they did, to the bit.
            double[] ls = {0.2, 0.4};
            assertThat(first(l, ls, LEFT)).isEqualTo(first(before, ls, LEFT));
        }
        assertThat(Json.readTree(tuned.lineage()).path("freeze").asText()).isEqualTo("trunk");
        JsonNode card = Json.readTree(ModelCards.json(tuned));
        assertThat(card.path("training").path("fine_tuned_from").asText()).isEqualTo(Json.readTree(tuned.lineage())
                .path("fine_tuned_from").asText());
        assertThat(card.path("training").path("freeze").asText()).isEqualTo("trunk");
        assertThat(card.path("embodiments")).extracting(e -> e.path("name").asText()).containsExactly("line", "arm", "gripper");
        // The new embodiment's heads make the network larger than the one it came from.
        assertThat(card.path("parameters").asLong()).isGreaterThan(Json.readTree(ModelCards.json(pretrained)).path("parameters").asLong());
        assertThat(Files.readString(ModelCards.markdown(tuned))).contains("### gripper", "\"open\"", "\"close\"", "shared trunk frozen");
    }

    @Test
    void lowRankAdaptersLearnANewTaskOnAFrozenTrunk(@TempDir Path dir) throws Exception {
        // The line embodiment's tasks reversed in meaning, under new instructions.
        Path flipped = dataset(dir.resolve("flipped"), "line", 2, 1, List.of("head west", "head east"));
        RunDirectory tuned = new RunDirectory(dir.resolve("tuned"));
        FoundationConfig c = config(300).with(t -> t.put("lora_rank", 4));
        new FoundationTrainer(c, mix(flipped), tuned,
                Optional.of(new FoundationTrainer.Base(FoundationCheckpoint.open(pretrained.root()), FoundationTrainer.Freeze.TRUNK)))
                .train(false, quiet());
        try (Policy l = Policies.load(tuned.root(), Optional.of("line"))) {
            double[] s = {0.2, 0.4};
            assertThat(first(l, s, "head west")).isGreaterThan(0.5);
            assertThat(first(l, s, "head east")).isLessThan(-0.5);
        }
        var ema = FoundationCheckpoint.open(tuned.root());
        try (var m = ai.djl.ndarray.NDManager.newBaseManager(); var before = ai.djl.ndarray.NDManager.newBaseManager()) {
            var tunedNet = ema.network(m);
            var baseNet = FoundationCheckpoint.open(pretrained.root()).network(before);
            var baseWeights = new java.util.HashMap<String, float[]>();
            baseNet.block().getParameters().forEach(p -> baseWeights.put(p.getKey(), p.getValue().getArray().toFloatArray()));
            int adapters = 0;
            for (var p : tunedNet.block().getParameters()) {
                float[] now = p.getValue().getArray().toFloatArray();
                if (FoundationTransformer.isAdapterParameter(p.getKey())) {
                    adapters++;
                } else if (!p.getKey().startsWith("e0_")) {
                    assertThat(now).as(p.getKey()).isEqualTo(baseWeights.get(p.getKey()));
                }
            }
            // Four projections a layer, two matrices each.
            assertThat(adapters).isEqualTo(2 * 4 * 2);
        }
        assertThat(Json.readTree(tuned.config()).path("lora_rank").asInt()).isEqualTo(4);
    }

    @Test
    void anEmbodimentsDeltaActionsAreLearnedAsStepsAndAddedBackByTheExecutor(@TempDir Path dir) {
        // The recorded action is +speed (first task) or -speed in both elements; learned as a step from the state.
        Path twin = dataset(dir.resolve("twin"), "twin", 2, 2, List.of(RIGHT, LEFT));
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        FoundationConfig c = config(300).with(t -> t.putObject("delta_actions").putObject("twin").put("action", "observation_state"));
        new FoundationTrainer(c, mix(twin), run, Optional.empty()).train(false, quiet());
        try (Policy p = Policies.load(run.root())) {
            assertThat(p.metadata().deltaActions()).containsExactly(new kiban.core.policy.DeltaPair("action", "observation_state"));
            double[] s = {0.2, 0.4};
            // The policy gives the step; the executor adds the state back to make the command.
            double step = first(p, s, RIGHT);
            assertThat(step + s[0]).isGreaterThan(0.5);
        }
        assertThat(Json.readTree(run.policy()).path("embodiments").get(0).path("delta_actions").path("action").asText())
                .isEqualTo("observation_state");
        assertThatThrownBy(() -> config(10).with(t -> t.putObject("delta_actions").put("twin", 3)))
                .hasMessageContaining("delta_actions.twin").hasMessageContaining("an object of action feature");
    }

    @Test
    void aDatasetWhoseEmbodimentHasOtherFeaturesIsRefused(@TempDir Path dir) {
        Path other = dataset(dir.resolve("line2"), "line", 3, 1, List.of(RIGHT, LEFT));
        FoundationCheckpoint base = FoundationCheckpoint.open(pretrained.root());
        assertThatThrownBy(() -> new FoundationTrainer(config(10), mix(other), new RunDirectory(dir.resolve("run")),
                Optional.of(new FoundationTrainer.Base(base, FoundationTrainer.Freeze.NONE))).train(false, quiet()))
                .isInstanceOf(KibanException.class).hasMessageContaining("embodiment 'line' has other");
    }

    @Test
    void mixturesAreParsedWithTheirWeights() {
        assertThat(MixSource.parse("a:2,b,c:0.5:10", "--mix")).containsExactly(new MixSource(Path.of("a"), 2),
                new MixSource(Path.of("b"), 1), new MixSource(Path.of("c"), 0.5, 10));
        assertThatThrownBy(() -> MixSource.parse("c:1:0", "--mix")).hasMessageContaining("a positive number of episodes");
        assertThat(MixData.load(new MixSource(line, 1, 3), 0).data().train()).hasSize(3);
        assertThatThrownBy(() -> MixSource.parse("a:x", "--mix")).hasMessageContaining("--mix")
                .hasMessageContaining("a positive weight").hasMessageContaining("'x'");
        assertThatThrownBy(() -> MixSource.parse("a:-1", "--mix")).hasMessageContaining("a positive weight");
        assertThatThrownBy(() -> MixSource.parse("a,,b", "--mix")).hasMessageContaining("an empty entry");
    }
}
