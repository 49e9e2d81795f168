package kiban.core.embodiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbodimentSpecsTest {

    private static final String GOOD = """
            name: gantry
            domain: robot_arm
            control_hz: 50
            state:
              - {name: pos, unit: m, shape: [3], low: -1, high: [1, 1, 2]}
            action:
              - {name: target, unit: m, shape: [3], low: -1, high: 1, max_rate: 0.5}
            cameras:
              - {name: top, height: 64, width: 48, channels: 3}
            safety:
              watchdog_cycles: 3
              stop_mode: hold
              max_acceleration: {target: 2.0}
              workspace:
                - {name: cell, feature: pos, min: [-1, -1, 0], max: [1, 1, 2]}
            """;

    @Test
    void readsAGoodSpecWithBroadcastLimits() {
        EmbodimentSpec spec = EmbodimentSpecs.parse(GOOD, "gantry.yaml");
        assertThat(spec.name()).isEqualTo("gantry");
        assertThat(spec.domain()).isEqualTo(Domain.ROBOT_ARM);
        assertThat(spec.controlHz()).isEqualTo(50);
        assertThat(spec.state().getFirst().low()).containsExactly(-1.0, -1.0, -1.0);
        assertThat(spec.state().getFirst().high()).containsExactly(1.0, 1.0, 2.0);
        assertThat(spec.action().getFirst().maxRate()).containsExactly(0.5, 0.5, 0.5);
        assertThat(spec.cameras()).containsExactly(new CameraSpec("top", 64, 48, 3));
        assertThat(spec.safety().watchdogCycles()).isEqualTo(3);
        assertThat(spec.safety().maxAcceleration().get("target")).containsExactly(2.0, 2.0, 2.0);
        assertThat(spec.safety().workspace().getFirst().contains(new double[] {0, 0, 1})).isTrue();
        assertThat(spec.safety().workspace().getFirst().contains(new double[] {0, 0, -0.1})).isFalse();
    }

    @Test
    void writtenJsonReadsBackEqual() {
        for (EmbodimentSpec spec : EmbodimentRegistry.withBuiltIns().all()) {
            String json = Json.compact(EmbodimentSpecs.toTree(spec));
            assertThat(EmbodimentSpecs.parse(json, "roundtrip.json")).isEqualTo(spec);
        }
        EmbodimentSpec custom = EmbodimentSpecs.parse(GOOD, "gantry.yaml");
        assertThat(EmbodimentSpecs.parse(Json.pretty(EmbodimentSpecs.toTree(custom)), "x.json")).isEqualTo(custom);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing name          | name: gantry         | ''                         | name         | a value",
        "bad domain            | domain: robot_arm    | domain: submarine          | domain       | one of planar_pusher",
        "zero rate             | control_hz: 50       | control_hz: 0              | control_hz   | a number in",
        "text rate             | control_hz: 50       | control_hz: fast           | control_hz   | a finite number",
        "bad shape             | shape: [3], low: -1, high: [1, 1, 2] | shape: [0], low: -1, high: 1 | state[0].shape[0] | a positive integer",
        "short limits          | high: [1, 1, 2]      | high: [1, 1]               | state[0].high | an array of 3 numbers",
        "inverted limits       | high: [1, 1, 2]      | high: [1, -2, 2]           | state[0].high | greater than low[1]",
        "negative max rate     | max_rate: 0.5        | max_rate: -0.5             | action[0].max_rate | positive numbers",
        "bad channels          | channels: 3          | channels: 7                | cameras[0].channels | an integer in [1, 4]",
        "unknown stop mode     | stop_mode: hold      | stop_mode: explode         | safety.stop_mode | hold or zero",
        "zone on unknown       | feature: pos         | feature: elbow             | safety.workspace[0].feature | the name of a state or action feature",
        "acceleration key      | max_acceleration: {target: 2.0} | max_acceleration: {nozzle: 2.0} | safety.max_acceleration.nozzle | a key naming an action feature",
    })
    void namesTheFieldAndWhatWasExpected(String label, String from, String to, String field, String expected) {
        String text = GOOD.replace(from, to);
        assertThat(text).isNotEqualTo(GOOD);
        assertThatThrownBy(() -> EmbodimentSpecs.parse(text, "gantry.yaml"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> {
                    InvalidInputException ie = (InvalidInputException) e;
                    assertThat(ie.source()).isEqualTo("gantry.yaml");
                    assertThat(ie.field()).isEqualTo(field);
                    assertThat(ie.getMessage()).contains("gantry.yaml").contains(field).contains(expected);
                });
    }

    @Test
    void missingActionsAndDuplicateFeaturesAreRefused() {
        assertThatThrownBy(() -> EmbodimentSpecs.parse(GOOD.replaceAll("(?s)action:.*?cameras:", "action: []\ncameras:"), "f"))
                .hasMessageContaining("field 'action'").hasMessageContaining("at least one action feature");
        String twice = GOOD.replace("state:\n", "state:\n  - {name: pos, shape: [1], low: 0, high: 1}\n");
        assertThatThrownBy(() -> EmbodimentSpecs.parse(twice, "f"))
                .hasMessageContaining("unique feature names").hasMessageContaining("'pos' twice");
    }

    @Test
    void syntaxErrorsAndMissingFilesNameTheFile(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "name: [unclosed\n");
        assertThatThrownBy(() -> EmbodimentSpecs.read(broken))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(broken.toString()).hasMessageContaining("well-formed JSON or YAML")
                .hasMessageContaining("line");
        assertThatThrownBy(() -> EmbodimentSpecs.read(dir.resolve("absent.yaml")))
                .hasMessageContaining("absent.yaml").hasMessageContaining("no such file");
        Path list = dir.resolve("list.json");
        Files.writeString(list, "[1, 2]");
        assertThatThrownBy(() -> EmbodimentSpecs.read(list)).hasMessageContaining("expected an object");
    }

    @Test
    void readsJsonFilesToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gantry.json");
        Files.writeString(file, Json.pretty(EmbodimentSpecs.toTree(EmbodimentSpecs.parse(GOOD, "g"))));
        assertThat(EmbodimentSpecs.read(file).name()).isEqualTo("gantry");
    }
}
