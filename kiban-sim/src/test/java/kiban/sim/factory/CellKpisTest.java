package kiban.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import kiban.sim.env.EnvConfig;
import org.junit.jupiter.api.Test;

class CellKpisTest {

    @Test
    void oeeIsAvailabilityTimesPerformanceTimesQuality() {
        // 1000 planned min, 60 failed + 40 maintenance, 800 parts of which 760 good, 1 min ideal cycle
        CellKpis k = new CellKpis(1000, 60, 40, 800, 760, 2, 1, 1.0);
        assertThat(k.availability()).isCloseTo(0.9, within(1e-12));
        assertThat(k.performance()).isCloseTo(800.0 / 900, within(1e-12));
        assertThat(k.quality()).isCloseTo(0.95, within(1e-12));
        assertThat(k.oee()).isCloseTo(0.76, within(1e-12)); // = good x ideal cycle / planned
        assertThat(k.downtimeFraction()).isCloseTo(0.1, within(1e-12));
        assertThat(k.throughput()).isCloseTo(760 * 60.0 / 1000, within(1e-12));
        assertThat(k.toMap()).containsEntry("failures", 2.0).containsEntry("maintenances", 1.0);
    }

    @Test
    void performanceAboveNominalSpeedIsCapped() {
        CellKpis k = new CellKpis(100, 0, 0, 130, 130, 0, 0, 1.0);
        assertThat(k.performance()).isEqualTo(1.0);
        assertThat(k.oee()).isEqualTo(1.0);
    }

    @Test
    void emptyShiftAndWholeDownShiftAreDefined() {
        assertThat(new CellKpis(0, 0, 0, 0, 0, 0, 0, 1.0).oee()).isEqualTo(0.0);
        CellKpis down = new CellKpis(50, 50, 0, 0, 0, 1, 0, 1.0);
        assertThat(down.availability()).isEqualTo(0.0);
        assertThat(down.oee()).isEqualTo(0.0);
        assertThat(down.downtimeFraction()).isEqualTo(1.0);
    }

    @Test
    void inconsistentCountsAreRefused() {
        assertThatThrownBy(() -> new CellKpis(10, 8, 8, 0, 0, 0, 0, 1.0)).hasMessageContaining("down time");
        assertThatThrownBy(() -> new CellKpis(10, 0, 0, 5, 6, 0, 0, 1.0)).hasMessageContaining("good parts");
    }

    @Test
    void envMetricsFollowTheFormulaOnItsOwnCounts() {
        FactoryCellEnv env = new FactoryCellProvider().create(EnvConfig.DEFAULT);
        env.reset(3);
        RunToFailurePolicy policy = new RunToFailurePolicy();
        var o = env.reset(3);
        for (int i = 0; i < 3000; i++) {
            o = env.step(policy.act(o)).observation();
        }
        CellKpis k = env.kpis();
        assertThat(k.plannedMinutes()).isEqualTo(3000);
        assertThat(k.failures()).isPositive();
        double good = env.episodeMetrics().get("good_parts");
        assertThat(env.episodeMetrics().get("oee"))
                .isCloseTo(k.availability() * k.performance() * k.quality(), within(1e-12));
        assertThat(env.episodeMetrics().get("downtime_fraction")).isCloseTo(1 - k.availability(), within(1e-12));
        assertThat(env.episodeMetrics().get("throughput")).isCloseTo(good / 50.0, within(1e-9));
        assertThat(o.state(CellObservation.PARTS_DONE)).isEqualTo(good);
    }
}
