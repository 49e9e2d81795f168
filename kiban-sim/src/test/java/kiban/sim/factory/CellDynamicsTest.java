package kiban.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.sim.env.EnvConfig;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

/** Whole-episode behaviour of the plant: wear, failures, repair and maintenance. */
class CellDynamicsTest {

    private static final double[] NOMINAL = {1, 1, 0};
    private final FactoryCellProvider provider = new FactoryCellProvider();

    @Test
    void wearRaisesVibrationAndTemperatureOnAverage() {
        double[] sumVib = new double[2];
        double[] sumTemp = new double[2];
        int[] n = new int[2];
        for (long seed = 0; seed < 5; seed++) {
            FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
            env.reset(seed);
            for (int i = 0; i < 4000; i++) {
                double wear = env.wear();
                Observation o = env.step(NOMINAL).observation();
                if (env.machineState() != MachineState.RUNNING || (wear >= 0.2 && wear <= 0.6)) {
                    continue;
                }
                int bin = wear < 0.2 ? 0 : 1;
                sumVib[bin] += o.state(CellObservation.VIBRATION_RMS);
                sumTemp[bin] += o.state(CellObservation.TEMPERATURE);
                n[bin]++;
            }
        }
        assertThat(n[0]).isGreaterThan(200);
        assertThat(n[1]).isGreaterThan(200);
        assertThat(sumVib[1] / n[1]).isGreaterThan(sumVib[0] / n[0] + 3);
        assertThat(sumTemp[1] / n[1]).isGreaterThan(sumTemp[0] / n[0] + 8);
        assertThat(sumVib[0] / n[0]).isLessThan(2.8); // a fresh machine stays out of ISO zone C/D
    }

    @Test
    void failureStopsProductionForTheRepairTime() {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        env.reset(4);
        StepResult r;
        do {
            r = env.step(NOMINAL);
        } while (env.machineState() != MachineState.FAILED);
        assertThat(r.info().get("failures")).isEqualTo(1.0);
        assertThat(r.observation().state(CellObservation.MACHINE_STATE)).isEqualTo(2.0);
        int repair = env.downLeft();
        assertThat(repair).isBetween(60, 1200); // lognormal around four hours
        long parts = env.kpis().totalParts();
        long failed = env.kpis().failedMinutes();
        for (int i = 0; i < repair; i++) {
            assertThat(env.machineState()).isEqualTo(MachineState.FAILED);
            r = env.step(NOMINAL);
            assertThat(env.kpis().totalParts()).isEqualTo(parts);
            assertThat(r.observation().state(CellObservation.VIBRATION_RMS)).isLessThan(0.5);
        }
        assertThat(env.machineState()).isEqualTo(MachineState.IDLE);
        assertThat(env.kpis().failedMinutes() - failed).isEqualTo(repair);
        assertThat(env.wear()).isZero(); // corrective repair replaces the worn part
        assertThat(r.observation().state(CellObservation.MINUTES_SINCE_SERVICE)).isZero();
        env.step(NOMINAL);
        assertThat(env.machineState()).isEqualTo(MachineState.RUNNING);
        assertThat(env.kpis().totalParts()).isGreaterThanOrEqualTo(parts);
        assertThat(r.reward()).isNegative(); // the last repair minute cost money and made nothing
    }

    @Test
    void maintenanceTakesTimeAndRestoresHealth() {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        env.reset(8);
        while (env.wear() < 0.55) {
            env.step(NOMINAL);
            assertThat(env.kpis().failures()).as("seed 8 should reach wear 0.55 before failing").isZero();
        }
        double before = meanRunningVibration(env, 30);
        long parts = env.kpis().totalParts();
        StepResult r = env.step(new double[] {1, 1, 1});
        assertThat(env.machineState()).isEqualTo(MachineState.MAINTENANCE);
        assertThat(r.info().get("maintenances")).isEqualTo(1.0);
        int steps = 1;
        while (env.machineState() == MachineState.MAINTENANCE) {
            r = env.step(new double[] {1, 1, 1}); // repeated requests do not restart it
            steps++;
        }
        assertThat(env.kpis().maintenanceMinutes()).isEqualTo(steps);
        assertThat(steps).isBetween(20, 240);
        assertThat(env.kpis().totalParts()).isEqualTo(parts);
        assertThat(env.kpis().maintenances()).isEqualTo(1);
        assertThat(env.wear()).isLessThanOrEqualTo(CellModel.MAINTENANCE_RESIDUAL_WEAR);
        assertThat(meanRunningVibration(env, 30)).isLessThan(before - 2);
    }

    private static double meanRunningVibration(FactoryCellEnv env, int readings) {
        double sum = 0;
        int n = 0;
        while (n < readings) {
            Observation o = env.step(NOMINAL).observation();
            if (env.machineState() == MachineState.RUNNING) {
                sum += o.state(CellObservation.VIBRATION_RMS);
                n++;
            }
        }
        return sum / n;
    }

    @Test
    void runningFastWearsMorePerPart() {
        assertThat(wearPerPart(1.4)).isGreaterThan(1.5 * wearPerPart(1.0));
    }

    /** Wear gained per part made while running undisturbed, over several seeds. */
    private double wearPerPart(double speed) {
        double wear = 0;
        long parts = 0;
        for (long seed = 0; seed < 10; seed++) {
            FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
            env.reset(seed);
            for (int i = 0; i < 1500; i++) {
                double w = env.wear();
                long p = env.kpis().totalParts();
                env.step(new double[] {1.5, speed, 0});
                if (env.wear() >= w && env.machineState() == MachineState.RUNNING) {
                    wear += env.wear() - w;
                    parts += env.kpis().totalParts() - p;
                }
            }
        }
        return wear / parts;
    }
}
