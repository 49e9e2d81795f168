package kiban.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.progress.Progress;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.env.Randomization;
import kiban.sim.env.StepResult;
import kiban.sim.env.TaskSchedule;
import kiban.sim.rollout.Rollouts;
import org.junit.jupiter.api.Test;

/**
 * The cell's tasks: one plant and one start, judged and rewarded for opposite priorities. Seeds
 * 2000-2009 are neither the 0-49 the life expert's settings were chosen on nor the 1000-1049 of
 * the figures in docs/SIMULATION.md.
 */
class CellTaskTest {

    private static final long FIRST_SEED = 2000;
    private static final int SEEDS = 10;
    private static final EnvTask THROUGHPUT = CellTask.FAVOUR_THROUGHPUT.envTask();
    private static final EnvTask LIFE = CellTask.FAVOUR_MACHINE_LIFE.envTask();

    private final FactoryCellProvider provider = new FactoryCellProvider();

    @Test
    void theSpecPosesBothTasksTodaysFirst() {
        assertThat(provider.spec().tasks()).containsExactly(THROUGHPUT, LIFE);
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        env.reset(1);
        assertThat(env.task()).isEqualTo(THROUGHPUT);
        assertThat(CellTask.of(env.task())).isEqualTo(CellTask.FAVOUR_THROUGHPUT);
        assertThatThrownBy(() -> CellTask.of(new EnvTask("default", "run the cell")))
                .hasMessageContaining("not a factory-cell task");
    }

    @Test
    void everyTaskStartsFromTheSameObservation() {
        EnvConfig randomised = EnvConfig.DEFAULT.withRandomization(new Randomization(0.2, 0.3, 0.01, 2));
        for (EnvConfig config : List.of(EnvConfig.DEFAULT, randomised)) {
            for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
                double[] first = provider.create(config).reset(seed, THROUGHPUT).state();
                assertThat(provider.create(config).reset(seed, LIFE).state()).isEqualTo(first);
            }
        }
    }

    /** The instruction is all that tells the tasks apart: the same actions drive the same plant; only reward and judging differ. */
    @Test
    void theSameActionsGiveTheSameObservationsUnderEitherTask() {
        List<Object> throughput = trajectory(THROUGHPUT, 7, false);
        List<Object> life = trajectory(LIFE, 7, false);
        assertThat(life).isEqualTo(throughput);
        assertThat(trajectory(LIFE, 7, true)).isNotEqualTo(trajectory(THROUGHPUT, 7, true));
    }

    @Test
    void sameSeedSameTaskSameActionsGiveTheSameTrajectoryBitForBit() {
        for (EnvTask task : List.of(THROUGHPUT, LIFE)) {
            assertThat(trajectory(task, 7, true)).isEqualTo(trajectory(task, 7, true));
            assertThat(trajectory(task, 8, true)).isNotEqualTo(trajectory(task, 7, true));
        }
    }

    /** Observation bits of 3000 steps of random actions, maintenance requests included, and the rewards where asked. */
    private List<Object> trajectory(EnvTask task, long seed, boolean withRewards) {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        SplittableRandom actions = new SplittableRandom(99);
        List<Object> out = new ArrayList<>();
        out.add(bits(env.reset(seed, task).state()));
        for (int i = 0; i < 3000; i++) {
            double[] a = {actions.nextDouble(0, 1.5), actions.nextDouble(0, 1.5), actions.nextDouble() < 0.002 ? 1 : 0};
            StepResult r = env.step(a);
            out.add(bits(r.observation().state()));
            if (withRewards) {
                out.add(Double.doubleToRawLongBits(r.reward()));
            }
        }
        return out;
    }

    private static List<Long> bits(double[] state) {
        List<Long> b = new ArrayList<>();
        for (double v : state) {
            b.add(Double.doubleToRawLongBits(v));
        }
        return b;
    }

    @Test
    void favourMachineLifeChargesTheWearItCausesAndReportsIt() {
        FactoryCellEnv life = provider.create(EnvConfig.DEFAULT);
        FactoryCellEnv throughput = provider.create(EnvConfig.DEFAULT);
        life.reset(3, LIFE);
        throughput.reset(3, THROUGHPUT);
        double wearCost = 0;
        for (int i = 0; i < 2000; i++) {
            double before = life.lifeUsed();
            double rLife = life.step(new double[] {1, 1, 0}).reward();
            double rThroughput = throughput.step(new double[] {1, 1, 0}).reward();
            assertThat(rThroughput - rLife).isCloseTo(CellTask.LIFE_WEAR_COST * (life.lifeUsed() - before), within(1e-9));
            wearCost += rThroughput - rLife;
        }
        assertThat(wearCost).isPositive();
        assertThat(life.episodeMetrics().get("life_used")).isEqualTo(life.lifeUsed()).isPositive();
        assertThat(throughput.episodeMetrics()).doesNotContainKey("life_used"); // today's metrics unchanged
    }

    @Test
    void lifeUsedCountsWearThatMaintenanceTookOff() {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        env.reset(8, LIFE);
        double start = env.wear();
        while (env.wear() < 0.55) {
            env.step(new double[] {1, 1, 0});
            assertThat(env.kpis().failures()).as("seed 8 should reach wear 0.55 before failing").isZero();
        }
        double used = env.lifeUsed();
        assertThat(used).isCloseTo(env.wear() - start, within(1e-9));
        env.step(new double[] {1, 1, 1});
        while (env.machineState() == MachineState.MAINTENANCE) {
            env.step(new double[] {1, 1, 0});
        }
        assertThat(env.wear()).isLessThanOrEqualTo(CellModel.MAINTENANCE_RESIDUAL_WEAR);
        assertThat(env.lifeUsed()).isEqualTo(used); // no running during maintenance, and none of the life comes back
    }

    @Test
    void favourMachineLifeNeedsGentleWearFewBreakdownsAndEnoughParts() {
        double budget = CellTask.lifeBudget();
        assertThat(budget).isEqualTo(2.5); // half the five days' nominal wear of 1.0 a day
        // a five-day shift: 7200 planned minutes, 30 parts an hour = 3600 good parts
        CellKpis ok = new CellKpis(7200, 240, 240, 3700, 3650, 2, 5, 1.0);
        assertThat(CellTask.FAVOUR_MACHINE_LIFE.success(ok, budget)).isTrue();
        assertThat(CellTask.FAVOUR_MACHINE_LIFE.success(ok, budget + 0.01)).isFalse();
        CellKpis threeBreakdowns = new CellKpis(7200, 240, 240, 3700, 3650, 3, 5, 1.0);
        assertThat(CellTask.FAVOUR_MACHINE_LIFE.success(threeBreakdowns, 1.0)).isFalse();
        CellKpis tooFewParts = new CellKpis(7200, 240, 240, 3650, 3590, 0, 5, 1.0);
        assertThat(CellTask.FAVOUR_MACHINE_LIFE.success(tooFewParts, 1.0)).isFalse();
        assertThat(CellTask.FAVOUR_MACHINE_LIFE.success(new CellKpis(0, 0, 0, 0, 0, 0, 0, 1.0), 0)).isFalse();
        // the same shift falls short of favour-throughput's OEE of 0.75 (3650 good parts in 7200 minutes: 0.51)
        assertThat(CellTask.FAVOUR_THROUGHPUT.success(ok, 0)).isFalse();
    }

    /** Measured 10 of 10 for each task on these seeds; the floor leaves one episode of slack. */
    @Test
    void theExpertMeetsEachTask() {
        for (CellTask task : CellTask.values()) {
            int ok = 0;
            for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
                FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
                ok += runEpisode(env, provider.expert(env), seed, task.envTask()) ? 1 : 0;
            }
            assertThat(ok).as("%s successes of %d", task, SEEDS).isGreaterThanOrEqualTo(9);
        }
    }

    /** A policy that ignores the instruction: each task's expert on the other task's episodes (measured 0 of 10 both ways). */
    @Test
    void eachTasksExpertFailsTheOtherTask() {
        for (CellTask given : CellTask.values()) {
            for (CellTask followed : CellTask.values()) {
                if (given == followed) {
                    continue;
                }
                int ok = 0;
                for (long seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
                    ok += runEpisode(provider.create(EnvConfig.DEFAULT), ConditionBasedExpert.forTask(followed), seed,
                            given.envTask()) ? 1 : 0;
                }
                assertThat(ok).as("%s expert on %s", followed, given).isLessThanOrEqualTo(1);
            }
        }
    }

    /** Under today's task the provider's expert acts exactly as the condition-based expert always has. */
    @Test
    void theFirstTasksExpertIsTodaysExpert() {
        FactoryCellEnv env = provider.create(EnvConfig.DEFAULT);
        Expert expert = provider.expert(env);
        ConditionBasedExpert today = new ConditionBasedExpert();
        Observation o = env.reset(4);
        expert.reset(4);
        today.reset(4);
        for (int i = 0; i < CellModel.EPISODE_STEPS; i++) {
            double[] a = expert.act(o);
            assertThat(a).isEqualTo(today.act(o));
            o = env.step(a).observation();
        }
    }

    private static boolean runEpisode(FactoryCellEnv env, Expert expert, long seed, EnvTask task) {
        return Rollouts.run(env, e -> expert, "expert", 1, seed, new TaskSchedule(List.of(task)), null,
                Progress.start("cell", "episodes", 1, false)).successRate() == 1;
    }
}
