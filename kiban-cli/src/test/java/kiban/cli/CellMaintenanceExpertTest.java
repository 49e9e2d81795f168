package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.health.cell.CellReading;
import kiban.health.cell.FixedIntervalMaintenance;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import kiban.sim.factory.MachineState;
import org.junit.jupiter.api.Test;

/** kiban-health reads the simulated cell's state codes as the simulator means them, and its policies drive the cell. */
class CellMaintenanceExpertTest {

    @Test
    void healthStateCodesAreTheCellsOwn() {
        assertThat(CellReading.RUNNING).isEqualTo(MachineState.RUNNING.code());
        assertThat(CellReading.IDLE).isEqualTo(MachineState.IDLE.code());
        assertThat(CellReading.FAILED).isEqualTo(MachineState.FAILED.code());
        assertThat(CellReading.MAINTENANCE).isEqualTo(MachineState.MAINTENANCE.code());
        for (MachineState s : MachineState.values()) {
            assertThat(new CellReading(s.code(), 1, 30, 0).down()).isEqualTo(s.down());
        }
    }

    @Test
    void aFixedIntervalPolicyMaintainsTheCellThroughItsMaintenanceRequest() {
        try (Env env = EnvRegistry.load().get("factory-cell").create(EnvConfig.DEFAULT)) {
            CellMaintenanceExpert expert = new CellMaintenanceExpert(new FixedIntervalMaintenance(300), 100);
            Observation o = env.reset(3);
            expert.reset(3);
            double maxUpAge = 0;
            for (int t = 0; t < 3000; t++) {
                StepResult r = env.step(expert.act(o));
                o = r.observation();
                CellReading reading = CellMaintenanceExpert.reading(o);
                if (!reading.down()) {
                    maxUpAge = Math.max(maxUpAge, reading.minutesSinceService());
                }
            }
            assertThat(env.episodeMetrics().get("maintenances")).isGreaterThanOrEqualTo(3000 / (300 + 200) - 1.0);
            assertThat(maxUpAge).as("never up for longer than the interval since its last service").isLessThanOrEqualTo(300);
        }
    }
}
