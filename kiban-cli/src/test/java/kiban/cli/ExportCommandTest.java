package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiban export}: train, export to TorchScript (Debian's python3-torch), then eval the export. */
class ExportCommandTest {

    @Test
    void exportsARunThatKibanEvaluates(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path run = dir.resolve("run");
        Path out = dir.resolve("ts");
        assertThat(CliRun.of("data", "record", "--env", "pusht", "--episodes", "2", "--out", data.toString()).exitCode()).isZero();
        assertThat(CliRun.of("train", "--dataset", data.toString(), "--policy", "flow", "--steps", "10", "--batch", "16",
                "--out", run.toString()).exitCode()).isZero();

        CliRun export = CliRun.of("export", "--checkpoint", run.toString(), "--out", out.toString(), "--python", "/usr/bin/python3",
                "--json");
        assertThat(export.exitCode()).as(export.err()).isZero();
        JsonNode x = Json.MAPPER.readTree(export.out());
        assertThat(x.get("format").asText()).isEqualTo("torchscript");
        assertThat(x.get("policy").asText()).isEqualTo("flow");
        assertThat(out.resolve("model.pt")).exists();

        CliRun eval = CliRun.of("eval", "--checkpoint", out.toString(), "--env", "pusht", "--episodes", "1", "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(Json.MAPPER.readTree(eval.out()).get("policy").asText()).isEqualTo("torchscript");
        assertThat(Json.MAPPER.readTree(eval.out()).get("execution").asText()).isEqualTo("chunks");

        CliRun again = CliRun.of("export", "--checkpoint", run.toString(), "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("not an empty folder");
        CliRun format = CliRun.of("export", "--checkpoint", run.toString(), "--out", dir.resolve("o").toString(), "--format", "onnx");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("--format");
    }
}
