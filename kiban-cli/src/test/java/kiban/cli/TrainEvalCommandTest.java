package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.json.Json;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The acceptance: record, train then eval with --json on each env (tiny sizes: this checks the path, not quality). */
class TrainEvalCommandTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pusht", "ur5e-pick-place", "highway", "factory-cell"})
    void trainsAndEvaluatesOnEachEnv(String env, @TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path run = dir.resolve("run");
        assertThat(CliRun.of("data", "record", "--env", env, "--episodes", "3", "--out", data.toString()).exitCode()).isZero();

        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--policy", "mlp", "--steps", "20", "--batch", "16",
                "--out", run.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode t = Json.MAPPER.readTree(train.out());
        assertThat(t.get("steps").asLong()).isEqualTo(20);
        assertThat(t.get("final_loss").asDouble()).isFinite();
        assertThat(Files.readString(run.resolve("lineage.json"))).contains("sha256:");

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", env, "--episodes", "2", "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode e = Json.MAPPER.readTree(eval.out());
        assertThat(e.get("env").asText()).isEqualTo(env);
        assertThat(e.get("episodes").asInt()).isEqualTo(2);
        assertThat(e.get("success_rate_ci95")).hasSize(2);
        assertThat(e.has("mean_score")).isTrue();

        CliRun wrongEnv = CliRun.of("eval", "--checkpoint", run.toString(), "--env", env.equals("pusht") ? "highway" : "pusht",
                "--episodes", "1");
        assertThat(wrongEnv.exitCode()).isEqualTo(1);
        assertThat(wrongEnv.err()).contains("was it trained on this env?");
    }

    /**
     * The act policy on pusht with a tiny transformer: trains, loads and runs. Evaluated here executing
     * chunks (one inference per 8 steps, where ensembling's one a step costs the suite seconds on a busy machine).
     */
    @org.junit.jupiter.api.Test
    void trainsAndEvaluatesAnActPolicy(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path run = dir.resolve("run");
        Path config = dir.resolve("act.yaml");
        Files.writeString(config, "model_dim: 16\nheads: 2\nencoder_layers: 1\ndecoder_layers: 1\n");
        assertThat(CliRun.of("data", "record", "--env", "pusht", "--episodes", "2", "--out", data.toString()).exitCode()).isZero();
        CliRun train = CliRun.of("train", "--dataset", data.toString(), "--policy", "act", "--config", config.toString(),
                "--steps", "10", "--batch", "8", "--out", run.toString(), "--json");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(Json.MAPPER.readTree(train.out()).get("final_loss").asDouble()).isFinite();

        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "1",
                "--execution", "chunks", "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode e = Json.MAPPER.readTree(eval.out());
        assertThat(e.get("policy").asText()).isEqualTo("act");
        assertThat(e.get("execution").asText()).isEqualTo("chunks");
        assertThat(EvalCommand.defaultExecution("act")).isEqualTo(kiban.core.policy.ChunkExecutor.Mode.ENSEMBLE);
        assertThat(EvalCommand.defaultExecution("mlp")).isEqualTo(kiban.core.policy.ChunkExecutor.Mode.CHUNKS);

        // Exported to TorchScript (Debian's python3-torch), it still runs with temporal ensembling by default.
        Path exported = dir.resolve("act-ts");
        CliRun export = CliRun.of("export", "--checkpoint", run.toString(), "--out", exported.toString(), "--python",
                "/usr/bin/python3");
        assertThat(export.exitCode()).as(export.err()).isZero();
        CliRun evalExport = CliRun.of("eval", "--checkpoint", exported.toString(), "--env", "pusht", "--episodes", "1", "--json");
        assertThat(evalExport.exitCode()).as(evalExport.err()).isZero();
        JsonNode x = Json.MAPPER.readTree(evalExport.out());
        assertThat(x.get("policy").asText()).isEqualTo("torchscript");
        assertThat(x.get("execution").asText()).isEqualTo("ensemble");
    }
}
