package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import kiban.connect.opcua.NodeMapping;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimOpcUaCommandTest {

    @Test
    void servesTheFactoryCellAndWritesItsMapping(@TempDir Path dir) throws Exception {
        Path mapping = dir.resolve("cell.yaml");
        CliRun run = CliRun.of("sim", "opcua", "--env", "factory-cell", "--port", "0", "--step-hz", "20",
                "--duration", "1", "--mapping-out", mapping.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        var lines = run.out().lines().toList();
        JsonNode start = Json.MAPPER.readTree(lines.get(0));
        assertThat(start.get("endpoint").asText()).startsWith("opc.tcp://localhost:").endsWith("/kiban");
        assertThat(start.get("step_hz").asDouble()).isEqualTo(20);
        JsonNode end = Json.MAPPER.readTree(lines.get(1));
        assertThat(end.get("steps").asLong()).isGreaterThan(5);
        assertThat(end.get("errors").asLong()).isZero();
        assertThat(NodeMapping.load(mapping).actionNodes()).hasSize(3);
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRun env = CliRun.of("sim", "opcua", "--env", "factory-cel", "--duration", "1");
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err()).contains("--env").contains("did you mean 'factory-cell'");
        CliRun port = CliRun.of("sim", "opcua", "--port", "70000", "--duration", "1");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("--port").contains("[0, 65535]");
    }
}
