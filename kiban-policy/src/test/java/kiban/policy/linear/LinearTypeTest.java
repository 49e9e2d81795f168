package kiban.policy.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;
import kiban.policy.export.TorchScriptExport;
import kiban.policy.model.PolicyTypes;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.policy.run.TrainedPolicy;
import kiban.policy.train.PolicyTrainer;
import kiban.testing.LineEnv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A type registered by its services line alone trains, loads and is configured as the built-in ones are. */
class LinearTypeTest {

    private static TrainConfig read(String yaml) {
        return TrainConfig.read(Json.parseTree(yaml, "train.yaml"), "train.yaml", TrainConfig.defaults());
    }

    @Test
    void isRegisteredAfterTheBuiltInTypes() {
        assertThat(PolicyTypes.registry().names()).containsExactly("mlp", "flow", "diffusion", "act", "linear");
    }

    @Test
    void itsFieldsAreReadWrittenAndCheckedOnlyWhereUsed() {
        TrainConfig c = read("policy: linear\nlinear_width: 8\n");
        assertThat(c.model()).isEqualTo(new LinearConfig(8));
        List<String> names = new ArrayList<>();
        c.toTree().fieldNames().forEachRemaining(names::add);
        // after the built-in types' fields, before the shared ones that follow them
        assertThat(names.subList(names.indexOf("decoder_layers"), names.indexOf("decoder_layers") + 3))
                .containsExactly("decoder_layers", "linear_width", "normalization");
        assertThat(TrainConfig.read(c.toTree(), "saved", TrainConfig.defaults())).isEqualTo(c);
        assertThat(TrainConfig.defaults().toTree().has("linear_width")).isFalse();
        assertThat(c.with(t -> t.put("policy", "mlp")).toTree().get("linear_width").asInt()).isEqualTo(8);
        assertThatThrownBy(() -> read("linear_width: 0\n")).hasMessageContaining("train.yaml")
                .hasMessageContaining("linear_width");
    }

    @Test
    void trainsLoadsAndIsRefusedByTheTorchScriptExport(@TempDir Path dir) {
        SplittableRandom r = new SplittableRandom(3);
        List<Episode> episodes = new ArrayList<>();
        for (int e = 0; e < 20; e++) {
            double pos = r.nextDouble(-5, 5);
            double target = r.nextDouble(-5, 5);
            double[][] obs = new double[15][];
            double[][] act = new double[15][];
            for (int t = 0; t < 15; t++) {
                obs[t] = new double[] {pos, target};
                act[t] = new double[] {Math.max(-1, Math.min(1, target - pos))};
                pos += act[t][0];
            }
            episodes.add(new Episode(obs, act));
        }
        TrainingData data = TrainingData.split(LineEnv.EMBODIMENT.state(), LineEnv.EMBODIMENT.action(), episodes, 0.1,
                "synthetic", "none");
        TrainConfig config = read("policy: linear\nlinear_width: 32\nsteps: 200\nbatch: 32\nlearning_rate: 0.003\n"
                + "warmup_steps: 10\nobservation_steps: 1\nhorizon: 2\naction_steps: 1\n");
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        PolicyTrainer.Result result = new PolicyTrainer(config, data, run)
                .train(false, Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "steps", 0));
        assertThat(result.finalLoss()).isLessThan(0.2);
        try (TrainedPolicy trained = TrainedPolicy.load(run.root())) {
            assertThat(trained.metadata().type()).isEqualTo("linear");
            assertThat(trained.config().model()).isEqualTo(new LinearConfig(32));
            // far from the target the expert moves a full step towards it
            assertThat(trained.infer(new double[][] {{-3, 3}})[0][0]).isGreaterThan(0.5);
            assertThat(trained.infer(new double[][] {{3, -3}})[0][0]).isLessThan(-0.5);
        }
        assertThatThrownBy(() -> TorchScriptExport.export(run.root(), dir.resolve("out"), "/usr/bin/python3"))
                .hasMessageContaining("linear policy");
    }
}
