package kiban.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kiban.core.error.InvalidInputException;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.Expert;
import kiban.sim.env.ExpertEpisode;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

class ConditionBasedExpertTest {

    private final FactoryCellProvider provider = new FactoryCellProvider();

    /** Seeds other than the 0..49 of the reported benchmark, so the test is not tuned on them. */
    @Test
    void cutsDowntimeByAThirdAtEqualOrBetterThroughputOverTenSeeds() {
        CellKpis cbm = meanKpis(true);
        CellKpis rtf = meanKpis(false);
        assertThat(cbm.downtimeFraction()).isLessThanOrEqualTo(0.7 * rtf.downtimeFraction());
        assertThat(cbm.throughput()).isGreaterThanOrEqualTo(rtf.throughput());
        assertThat(cbm.failures()).isLessThan(rtf.failures());
        assertThat(cbm.maintenances()).isPositive(); // maintenance is not free: it is used, and costs time
        assertThat(cbm.maintenanceMinutes()).isPositive();
    }

    /** Sums over seeds 100..109, so the ratios are the means over seeds of equal length. */
    private CellKpis meanKpis(boolean expert) {
        long planned = 0, failed = 0, maint = 0, total = 0, good = 0;
        int failures = 0, maintenances = 0;
        for (long seed = 100; seed < 110; seed++) {
            FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
            Expert policy = expert ? provider.expert(env) : new RunToFailurePolicy();
            ExpertEpisode.run(env, policy, seed);
            CellKpis k = env.kpis();
            planned += k.plannedMinutes();
            failed += k.failedMinutes();
            maint += k.maintenanceMinutes();
            total += k.totalParts();
            good += k.goodParts();
            failures += k.failures();
            maintenances += k.maintenances();
        }
        return new CellKpis(planned, failed, maint, total, good, failures, maintenances, CellModel.IDEAL_CYCLE_MINUTES);
    }

    @Test
    void requestsMaintenanceOnlyOnceVibrationIsHighForAWhile() {
        ConditionBasedExpert expert = new ConditionBasedExpert();
        expert.reset(0);
        double[] calm = {1, 1, 1.2, 55, 50, 0, 0, 0};
        double[] shaking = {1, 1, 6.0, 60, 50, 0, 0, 0};
        for (int i = 0; i < 20; i++) {
            assertThat(expert.act(Observation.of(calm))[2]).isZero();
        }
        double request = 0;
        int steps = 0;
        while (request == 0 && steps < 100) {
            request = expert.act(Observation.of(shaking))[2];
            steps++;
        }
        assertThat(request).isEqualTo(1.0);
        assertThat(steps).isGreaterThan(3); // smoothing: one spike does not trigger it
        double[] inMaintenance = {1, 1, 0.1, 50, 50, 3, 0, 0};
        assertThat(expert.act(Observation.of(inMaintenance))[2]).isZero();
        assertThat(expert.act(Observation.of(calm))[2]).isZero(); // the average starts afresh
    }

    @Test
    void runsBothDrivesAtItsLineSpeedAndHoldsPartsUpstreamWhileDown() {
        ConditionBasedExpert gentle = ConditionBasedExpert.forTask(CellTask.FAVOUR_MACHINE_LIFE);
        gentle.reset(0);
        double[] running = {0.65, 0.65, 1.0, 45, 50, 0, 0, 0};
        assertThat(gentle.act(Observation.of(running)))
                .containsExactly(ConditionBasedExpert.LIFE_LINE_SPEED, ConditionBasedExpert.LIFE_LINE_SPEED, 0.0);
        double[] downWithRoom = {0.65, 0.65, 0.1, 30, 50, 2, 0, 0};
        assertThat(gentle.act(Observation.of(downWithRoom))[0]).isEqualTo(ConditionBasedExpert.LIFE_LINE_SPEED);
        double[] downAndFull = {0.65, 0.65, 0.1, 30, 95, 2, 0, 0};
        assertThat(gentle.act(Observation.of(downAndFull))[0]).isZero();
        assertThat(ConditionBasedExpert.forTask(CellTask.FAVOUR_THROUGHPUT).act(Observation.of(running)))
                .containsExactly(1.0, 1.0, 0.0);
        assertThatThrownBy(() -> new ConditionBasedExpert(0, 4.5, 72)).hasMessageContaining("speed 0");
    }

    @Test
    void expertIsOnlyMadeForAFactoryCell() {
        Env other = new Env() {
            @Override public kiban.sim.env.EnvSpec spec() { return provider.spec(); }
            @Override public Observation reset(long seed, kiban.sim.env.EnvTask task) { return null; }
            @Override public kiban.sim.env.EnvTask task() { return provider.spec().defaultTask(); }
            @Override public StepResult step(double[] action) { return null; }
            @Override public kiban.sim.env.Image render(int h, int w) { return null; }
            @Override public java.util.Map<String, Double> episodeMetrics() { return java.util.Map.of(); }
            @Override public boolean success() { return false; }
            @Override public int elapsedSteps() { return 0; }
        };
        assertThatThrownBy(() -> provider.expert(other)).isInstanceOf(InvalidInputException.class);
    }
}
