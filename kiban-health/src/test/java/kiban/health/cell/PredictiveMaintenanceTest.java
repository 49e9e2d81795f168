package kiban.health.cell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PredictiveMaintenanceTest {

    /** With the hand-made model, P(failure within 60 min) is 0.064 at 4 mm/s and 0.45 at 5 mm/s. */
    @Test
    void maintainsOnceTheFailureProbabilityReachesTheLimitAndNotBeforeTheFilterIsWarm() {
        PredictiveMaintenance policy = new PredictiveMaintenance(Models.vibrationOnly(), 60, 0.2);
        for (int i = 0; i < HealthFilter.DEFAULT_WARM_UP - 1; i++) {
            assertThat(policy.maintain(Models.reading(CellReading.RUNNING, 9))).as("warming up, reading %d", i).isFalse();
            assertThat(policy.lastEstimate()).isNull();
        }
        assertThat(policy.maintain(Models.reading(CellReading.RUNNING, 9))).as("warm, far above the limit").isTrue();

        policy.reset();
        for (int i = 0; i < 30; i++) {
            assertThat(policy.maintain(Models.reading(CellReading.RUNNING, 4))).isFalse();
        }
        assertThat(policy.lastEstimate().failureProbability()).isBetween(0.06, 0.07);
        boolean maintained = false;
        for (int i = 0; i < 60 && !maintained; i++) {
            maintained = policy.maintain(Models.reading(CellReading.RUNNING, 5));
        }
        assertThat(maintained).as("the average climbs towards 5 mm/s and crosses the limit").isTrue();
        assertThat(policy.lastEstimate().failureProbability()).isBetween(0.2, 0.45);
    }

    @Test
    void neverMaintainsAMachineThatIsDownAndStartsAfreshAfterService() {
        PredictiveMaintenance policy = new PredictiveMaintenance(Models.vibrationOnly(), 60, 0.2);
        for (int i = 0; i < 20; i++) {
            policy.maintain(Models.reading(CellReading.RUNNING, 9));
        }
        assertThat(policy.maintain(Models.reading(CellReading.MAINTENANCE, 0.1))).isFalse();
        assertThat(policy.maintain(Models.reading(CellReading.FAILED, 0.1))).isFalse();
        // after the service the old high average is gone: a healthy machine is not maintained again
        for (int i = 0; i < 30; i++) {
            assertThat(policy.maintain(Models.reading(CellReading.RUNNING, 2))).isFalse();
        }
    }

    @Test
    void fixedIntervalMaintainsByAgeAlone() {
        FixedIntervalMaintenance policy = new FixedIntervalMaintenance(600);
        assertThat(policy.maintain(new CellReading(CellReading.RUNNING, 20, 90, 599))).isFalse();
        assertThat(policy.maintain(new CellReading(CellReading.IDLE, 0.1, 30, 600))).isTrue();
        assertThat(policy.maintain(new CellReading(CellReading.FAILED, 0.1, 30, 900))).isFalse();
    }
}
