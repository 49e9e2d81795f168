package kiban.connect.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.EnvRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeMappingTest {

    static final Path EXAMPLE = Path.of("..", "examples", "opcua", "factory-cell.yaml");

    @Test
    void theShippedExampleMatchesTheSimulatedMachine() {
        NodeMapping shipped = NodeMapping.load(EXAMPLE);
        NodeMapping generated;
        try (SimOpcUaServer server = SimOpcUaServer.start(SimOpcUaServer.Config.of("factory-cell"))) {
            generated = NodeMapping.parse(server.mappingYaml(), "generated");
        }
        assertThat(shipped.name()).isEqualTo("factory-cell");
        assertThat(shipped.stateNodes()).hasSize(8).isEqualTo(generated.stateNodes());
        assertThat(shipped.actionNodes()).hasSize(3).isEqualTo(generated.actionNodes());
        assertThat(shipped.emergencyStop()).isEqualTo(generated.emergencyStop());
        assertThat(shipped.metricNodes()).containsKey("oee").isEqualTo(generated.metricNodes());
        assertThat(shipped.observation()).extracting(f -> f.name()).startsWith("conveyor_speed", "machine_speed")
                .endsWith("parts_done", "minutes_since_service");
    }

    @Test
    void everyEnvGetsAMappingThatReadsBack() {
        EnvRegistry envs = EnvRegistry.load();
        for (String name : envs.names()) {
            var spec = envs.get(name).spec();
            NodeMapping m = NodeMapping.parse(SimOpcUaServer.mappingYaml(spec), name);
            assertThat(m.stateNodes()).as(name).hasSize(spec.observationDim());
            assertThat(m.actionNodes()).as(name).hasSize(spec.actionDim());
        }
    }

    @Test
    void anEmbodimentMappingCoversItsStateOnly() {
        NodeMapping m = NodeMapping.parse("""
                embodiment: factory-cell
                state:
                  conveyor_speed: "ns=3;i=1001"
                  machine_speed: "ns=3;i=1002"
                  vibration_rms: "ns=3;i=1003"
                  temperature: "ns=3;s=Cell/Temp"
                  buffer_level: "ns=3;i=1005"
                  machine_state: "ns=3;i=1006"
                action:
                  conveyor_speed: "ns=3;i=2001"
                  machine_speed: "ns=3;i=2002"
                  request_maintenance: "ns=3;i=2003"
                """, "cell.yaml");
        assertThat(m.stateNodes()).hasSize(6);
        assertThat(m.emergencyStop()).isEmpty();
    }

    @Test
    void unknownFeatureIsNamedWithASuggestion() {
        String text = example().replace("  temperature:", "  temperatur:");
        assertThatThrownBy(() -> NodeMapping.parse(text, "m.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("m.yaml").hasMessageContaining("state.temperatur")
                .hasMessageContaining("did you mean 'temperature'");
    }

    @Test
    void missingFeatureIsNamed() {
        String text = example().replaceAll("(?m)^  request_maintenance:.*\\n", "");
        assertThatThrownBy(() -> NodeMapping.parse(text, "m.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("action.request_maintenance").hasMessageContaining("missing");
    }

    @Test
    void badNodeIdIsNamed() {
        String text = example().replace("\"ns=2;s=factory-cell/state/temperature\"", "\"Cell/Temp\"");
        assertThatThrownBy(() -> NodeMapping.parse(text, "m.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("state.temperature").hasMessageContaining("node id")
                .hasMessageContaining("\"Cell/Temp\"");
        String number = example().replace("\"ns=2;s=factory-cell/state/temperature\"", "42");
        assertThatThrownBy(() -> NodeMapping.parse(number, "m.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("state.temperature");
    }

    @Test
    void badTopLevelFieldsAreNamed() {
        assertThatThrownBy(() -> NodeMapping.parse(example().replace("env: factory-cell", "env: factory-cel"), "m.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'env'")
                .hasMessageContaining("did you mean 'factory-cell'");
        assertThatThrownBy(() -> NodeMapping.parse(example().replace("env: factory-cell",
                "env: factory-cell\nembodiment: factory-cell"), "m.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> NodeMapping.parse(example() + "estop: \"ns=2;i=1\"\n", "m.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'estop'");
        assertThatThrownBy(() -> NodeMapping.parse("env: factory-cell\nstate: [1]\n", "m.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'state'")
                .hasMessageContaining("an object");
        assertThatThrownBy(() -> NodeMapping.parse("env: [", "m.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("syntax error");
    }

    @Test
    void metricNamesAreSnakeCase() {
        assertThatThrownBy(() -> NodeMapping.parse(example().replace("  oee:", "  OEE %:"), "m.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("metrics.OEE %")
                .hasMessageContaining("snake_case");
    }

    @Test
    void twoSetPointsCannotShareANode() {
        String text = example().replace("setpoint/request_maintenance", "setpoint/machine_speed");
        assertThatThrownBy(() -> NodeMapping.parse(text, "m.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void aMultiElementFeatureNeedsOneNodePerElement() {
        String text = SimOpcUaServer.mappingYaml(EnvRegistry.load().get("pusht").spec());
        NodeMapping ok = NodeMapping.parse(text, "pusht.yaml");
        assertThat(ok.actionNodes()).hasSize(2);
        String shortList = text.replaceFirst("\\[(\"[^\"]*\"), \"[^\"]*\"\\]", "[$1]");
        assertThatThrownBy(() -> NodeMapping.parse(shortList, "pusht.yaml"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("node ids, one per element");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> NodeMapping.load(dir.resolve("nope.yaml"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nope.yaml");
    }

    private static String example() {
        try {
            return Files.readString(EXAMPLE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
