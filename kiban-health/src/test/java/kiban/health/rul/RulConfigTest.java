package kiban.health.rul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
