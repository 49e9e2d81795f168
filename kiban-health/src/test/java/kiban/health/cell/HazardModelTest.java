package kiban.health.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class HazardModelTest {

    @Test
    void hazardIsBackgroundPlusTheLogLinearWearTerm() {
        HazardModel m = Models.vibrationOnly();
        assertThat(m.hazard(Models.running(4))).isCloseTo(1e-4 + 1e-3, within(1e-12));
        assertThat(m.hazard(Models.running(5))).isCloseTo(1e-4 + 1e-2, within(1e-12));
    }

    @Test
    void withoutDriftTheHorizonProbabilityAndMedianLifeAreThoseOfAConstantHazard() {
        HealthEstimate e = Models.vibrationOnly().estimate(Models.running(4), 60);
        double h = 1.1e-3;
        assertThat(e.failureProbability()).isCloseTo(1 - Math.exp(-h * 60), within(1e-12));
        assertThat(e.rulMinutes()).isCloseTo(Math.log(2) / h, within(0.05));
        assertThat(e.wearHazardPerMinute()).isCloseTo(1e-3, within(1e-12));
    }

    @Test
    void driftMakesTheFutureRiskierThanTheHazardNowSays() {
        HazardModel still = Models.vibrationOnly();
        HazardModel drifting = new HazardModel(List.of(Covariate.VIBRATION), new double[] {4}, new double[] {1}, Math.log(1e-4),
                Math.log(1e-3), new double[] {Math.log(10)}, 0.01);
        HealthEstimate a = still.estimate(Models.running(4), 120);
        HealthEstimate b = drifting.estimate(Models.running(4), 120);
        // worked by hand: 1e-4 * 120 + 1e-3 * (e^1.2 - 1) / 0.01
        assertThat(b.failureProbability()).isCloseTo(1 - Math.exp(-(0.012 + 0.1 * Math.expm1(1.2))), within(1e-12));
        assertThat(b.failureProbability()).isGreaterThan(a.failureProbability());
        assertThat(b.rulMinutes()).isLessThan(a.rulMinutes());
    }
}
