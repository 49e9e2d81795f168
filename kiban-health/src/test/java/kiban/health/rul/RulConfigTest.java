package kiban.health.rul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import kiban.core.json.Json;
import org.junit.jupiter.api.Test;

/** The run config's file form and what it refuses. */
class RulConfigTest {

    @Test
    void roundTripsAndTakesAbsentFieldsFromTheBase() {
        RulConfig c = RulConfig.defaults(RulModelType.TRANSFORMER).withSeed(7);
        assertThat(RulConfig.read(c.toJson(), "config.json", RulConfig.defaults(RulModelType.LINEAR))).isEqualTo(c);
        RulConfig partial = RulConfig.read(Json.parseTree("{\"window\": 40}", "x.json"), "x.json", c);
        assertThat(partial.window()).isEqualTo(40);
        assertThat(partial.model()).isEqualTo(RulModelType.TRANSFORMER);
        assertThat(partial.seed()).isEqualTo(7);
        assertThat(partial.cycleFeature()).isFalse();
        assertThat(RulConfig.read(Json.parseTree("{\"cycle_feature\": true}", "x.json"), "x.json", c).cycleFeature()).isTrue();
        assertThat(partial.baselineCycles()).isZero();
        RulConfig drifting = RulConfig.read(Json.parseTree("{\"baseline_cycles\": 20}", "x.json"), "x.json", c);
        assertThat(drifting.baselineCycles()).isEqualTo(20);
        assertThat(RulConfig.read(drifting.toJson(), "config.json", c)).isEqualTo(drifting);
    }

    @Test
    void refusesUnknownModelsAndValuesOutOfRangeNamingTheField() {
        RulConfig base = RulConfig.defaults(RulModelType.LSTM);
        assertThatThrownBy(() -> RulConfig.read(Json.parseTree("{\"model\": \"gru\"}", "c.json"), "c.json", base))
                .hasMessage("c.json: field 'model': expected one of [cnn, dcnn, lstm, transformer, linear], got 'gru'");
        assertThatThrownBy(() -> RulConfig.read(Json.parseTree("{\"window\": 0}", "c.json"), "c.json", base))
                .hasMessageStartingWith("c.json: field 'window': expected an integer in [1, 1000], got");
        assertThatThrownBy(() -> RulConfig.read(Json.parseTree("{\"cycle_feature\": 1}", "c.json"), "c.json", base))
                .hasMessage("c.json: field 'cycle_feature': expected true or false, got 1");
        assertThatThrownBy(() -> RulConfig.read(Json.parseTree("{\"baseline_cycles\": -1}", "c.json"), "c.json", base))
                .hasMessageStartingWith("c.json: field 'baseline_cycles': expected an integer in [0, 100000], got");
    }

    /** Every shipped example reads as a config (docs/RESULTS.md gives commands with each) and round-trips. */
    @Test
    void everyExampleConfigReads() throws IOException {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("..", "examples", "rul"))) {
            examples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(examples).isNotEmpty();
        RulConfig base = RulConfig.defaults(RulModelType.LSTM);
        Map<String, RulConfig> read = new HashMap<>();
        for (Path f : examples) {
            RulConfig c = RulConfig.read(Json.readTree(f), f.toString(), base);
            assertThat(RulConfig.read(c.toJson(), "config.json", base)).as(f.toString()).isEqualTo(c);
            read.put(f.getFileName().toString(), c);
        }
        RulConfig longest = read.get("fd001-dcnn-drift-100ep.json");
        assertThat(longest).isNotNull();
        assertThat(longest.epochs()).isEqualTo(100);
        assertThat(longest.baselineCycles()).isEqualTo(20);
    }
}
