package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.connect.opcua.SimOpcUaServer;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiban run} against a real Milo server: at the machine's own rate when no --hz is given, warned when
 * its stale limit is shorter than the server's refresh of a machine at rest, and stopped, with a
 * non-zero exit, when the machine refuses its set points.
 */
class RunOverOpcUaTest {

    @Test
    void runsAtTheMachinesRateAndEndsWhenItsSetPointsAreRefused(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("factory-cell", dir);
        try (SimOpcUaServer cell = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell").withPort(0).withStepHz(20))) {
            Path mapping = dir.resolve("cell.yaml");
            Files.writeString(mapping, cell.mappingYaml());
            // the factory cell's embodiment says 1 Hz
            CliRun own = CliRun.of("run", "--checkpoint", run.toString(), "--opcua", cell.endpointUrl(), "--mapping", mapping.toString(),
                    "--duration", "2", "--json");
            assertThat(own.exitCode()).as(own.err()).isZero();
            JsonNode j = Json.MAPPER.readTree(own.out());
            assertThat(j.get("hz").asDouble()).isEqualTo(1.0);
            assertThat(j.get("cycles").asLong()).isEqualTo(2);
            assertThat(j.get("interventions").has("stale")).as("a cell at rest still reads fresh").isFalse();
            assertThat(own.err()).doesNotContain("--stale-after");

            // Milo's server ticks its clock every 100 ms: at 50 Hz three periods (60 ms) would call a quiet cell stale
            CliRun fast = CliRun.of("run", "--checkpoint", run.toString(), "--opcua", cell.endpointUrl(), "--mapping",
                    mapping.toString(), "--hz", "50", "--duration", "1", "--json");
            assertThat(fast.exitCode()).as(fast.err()).isZero();
            assertThat(fast.err()).contains("refreshes a machine at rest only every 100 ms", "--stale-after 3 periods at 50 Hz is 60 ms",
                    "pass --stale-after 8 or more");

            // a set point mapped onto a read-only node: the server refuses every write of it
            Path readOnly = dir.resolve("read-only.yaml");
            Files.writeString(readOnly, cell.mappingYaml().replace("factory-cell/setpoint/machine_speed", "factory-cell/state/machine_speed"));
            CliRun refused = CliRun.of("run", "--checkpoint", run.toString(), "--opcua", cell.endpointUrl(), "--mapping",
                    readOnly.toString(), "--hz", "20", "--duration", "10", "--max-failed-commands", "3", "--json");
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
            JsonNode r = Json.MAPPER.readTree(refused.out());
            assertThat(r.get("stopped").asText()).contains("3 in a row", "factory-cell/state/machine_speed");
            assertThat(r.get("cycles").asLong()).as("stopped long before 200 cycles").isLessThan(100);
            assertThat(r.get("interventions").get("command_failed").asLong()).isPositive();
            assertThat(refused.err()).contains("kiban: error: the run stopped after", "--max-failed-commands")
                    .as("150 ms covers the clock's 100 ms").doesNotContain("--stale-after");
        }
    }
}
