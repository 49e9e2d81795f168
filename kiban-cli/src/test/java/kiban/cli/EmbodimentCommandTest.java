package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbodimentCommandTest {

    @Test
    void listJsonHoldsTheBuiltInsWithTheirFeatures() throws Exception {
        CliRun run = CliRun.of("embodiment", "list", "--json");
        assertThat(run.exitCode()).isZero();
        JsonNode array = Json.MAPPER.readTree(run.out());
        List<String> names = new ArrayList<>();
        for (JsonNode spec : array) {
            names.add(spec.get("name").asText());
            assertThat(spec.get("domain").asText()).isNotBlank();
            assertThat(spec.get("control_hz").asDouble()).isPositive();
            for (String group : List.of("state", "action")) {
                assertThat(spec.get(group).isArray()).isTrue();
                for (JsonNode f : spec.get(group)) {
                    assertThat(f.has("name") && f.has("shape") && f.has("low") && f.has("high")).isTrue();
                }
            }
        }
        assertThat(names).contains("pusht", "ur5e", "vehicle", "factory-cell");
    }

    @Test
    void showUr5eGivesSixJointsWithThePublishedLimits() throws Exception {
        CliRun run = CliRun.of("embodiment", "show", "ur5e", "--json");
        assertThat(run.exitCode()).isZero();
        JsonNode joints = Json.MAPPER.readTree(run.out()).get("action").get(0);
        assertThat(joints.get("name").asText()).isEqualTo("joint_target");
        assertThat(joints.get("shape").get(0).asInt()).isEqualTo(6);
        assertThat(joints.get("names")).hasSize(6);
        assertThat(joints.get("high").get(0).asDouble()).isEqualTo(2 * Math.PI);
        assertThat(joints.get("high").get(2).asDouble()).isEqualTo(Math.PI);
        assertThat(joints.get("max_rate").get(0).asDouble()).isEqualTo(Math.PI);
        assertThat(CliRun.of("embodiment", "show", "ur5e").out()).contains("shoulder_pan").contains("-6.2832 .. 6.2832");
    }

    @Test
    void validateNamesTheFileTheFieldAndWhatWasExpected(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.json");
        Files.writeString(good, CliRun.of("embodiment", "show", "vehicle", "--json").out());
        CliRun ok = CliRun.of("embodiment", "validate", good.toString());
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("good.json: ok (vehicle");

        Path missing = dir.resolve("missing.yaml");
        Files.writeString(missing, "name: cart\ndomain: vehicle\nstate: []\naction:\n  - {name: a, shape: [1], low: 0, high: 1}\n");
        CliRun bad = CliRun.of("embodiment", "validate", missing.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains(missing.toString()).contains("field 'control_hz'").contains("expected a value");

        Path malformed = dir.resolve("malformed.yaml");
        Files.writeString(malformed, Files.readString(missing) + "control_hz: -3\n");
        CliRun bad2 = CliRun.of("embodiment", "validate", "--json", malformed.toString());
        assertThat(bad2.exitCode()).isEqualTo(1);
        JsonNode result = Json.MAPPER.readTree(bad2.out()).get(0);
        assertThat(result.get("valid").asBoolean()).isFalse();
        assertThat(result.get("error").asText()).contains("malformed.yaml").contains("control_hz").contains("a number in");
    }
}
