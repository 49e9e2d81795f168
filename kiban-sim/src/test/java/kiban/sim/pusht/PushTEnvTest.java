package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Randomization;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

class PushTEnvTest {

    private static List<double[]> rollout(PushTEnv env, long seed, int steps) {
        return rollout(env, seed, env.spec().defaultTask(), steps, new ArrayList<>());
    }

    /** States of a rollout of {@code task} with fixed random targets near the block; rewards go to {@code rewards}. */
    private static List<double[]> rollout(PushTEnv env, long seed, EnvTask task, int steps, List<Double> rewards) {
        List<double[]> out = new ArrayList<>();
        out.add(env.reset(seed, task).state());
        SplittableRandom actions = new SplittableRandom(99);
        for (int i = 0; i < steps; i++) {
            // Targets around the block so the agent keeps hitting it.
            double[] s = out.getLast();
            StepResult r = env.step(new double[] {s[2] + actions.nextDouble(-80, 80), s[3] + actions.nextDouble(-80, 80)});
            out.add(r.observation().state());
            rewards.add(r.reward());
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameTrajectoryBitForBit() {
        List<double[]> a = rollout(new PushTEnv(EnvConfig.DEFAULT), 7, 150);
        PushTEnv reused = new PushTEnv(EnvConfig.DEFAULT);
        rollout(reused, 3, 40);
        List<double[]> b = rollout(reused, 7, 150);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("step %d", i).isEqualTo(a.get(i));
        }
        // The block did move: the trajectory is not trivially constant.
        assertThat(a.getLast()[2] != a.getFirst()[2] || a.getLast()[3] != a.getFirst()[3]).isTrue();
        List<double[]> c = rollout(new PushTEnv(EnvConfig.DEFAULT), 8, 5);
        assertThat(c.getFirst()).isNotEqualTo(a.getFirst());
    }

    @Test
    void resetObservationFollowsTheLegacyPlacement() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        for (long seed = 0; seed < 50; seed++) {
            InitialState init = InitialState.draw(new SplittableRandom(seed));
            double[] s = env.reset(seed).state();
            assertThat(s[0]).isEqualTo(init.agentX());
            assertThat(s[1]).isEqualTo(init.agentY());
            assertThat(s[4]).isBetween(0.0, 2 * Math.PI);
            double a = init.blockAngle();
            boolean touching = Math.hypot(s[0] - s[2], s[1] - s[3]) < 150 || s[2] < 150 || s[2] > 362 || s[3] < 150 || s[3] > 362;
            if (!touching) {
                // Position set at angle 0, then turned about the centre of gravity (0, 45).
                assertThat(s[2]).isCloseTo(init.blockX() + 45 * Math.sin(a), within(1e-6));
                assertThat(s[3]).isCloseTo(init.blockY() + 45 - 45 * Math.cos(a), within(1e-6));
            }
        }
    }

    /** Block position that the legacy placement turns into the goal origin. */
    private static double[] legacyGoal(double dx) {
        return legacyGoal(PushTGoal.CENTRE, dx);
    }

    private static double[] legacyGoal(PushTGoal goal, double dx) {
        double a = goal.angle();
        return new double[] {goal.x() + dx - 45 * Math.sin(a), goal.y() - 45 + 45 * Math.cos(a)};
    }

    @Test
    void everyTaskStartsFromTheSameObservation() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        for (long seed = 0; seed < 20; seed++) {
            double[] first = env.reset(seed).state();
            for (EnvTask task : env.spec().tasks()) {
                assertThat(env.reset(seed, task).state()).as("seed %d, task %s", seed, task.name()).isEqualTo(first);
                assertThat(env.task()).isEqualTo(task);
            }
        }
    }

    @Test
    void sameTaskSeedAndActionsGiveTheSameTrajectoryAndTheTaskOnlyChangesTheReward() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        EnvTask upperLeft = PushTGoal.UPPER_LEFT.task();
        List<Double> rewards = new ArrayList<>();
        List<double[]> a = rollout(env, 4, upperLeft, 120, rewards);
        rollout(env, 9, PushTGoal.LOWER_RIGHT.task(), 30, new ArrayList<>());
        List<Double> again = new ArrayList<>();
        List<double[]> b = rollout(env, 4, upperLeft, 120, again);
        List<Double> centreRewards = new ArrayList<>();
        List<double[]> c = rollout(env, 4, PushTGoal.CENTRE.task(), 120, centreRewards);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i)).as("step %d", i).isEqualTo(a.get(i));
            // The physics does not know the task: the same pushes move the block alike.
            assertThat(c.get(i)).as("step %d", i).isEqualTo(a.get(i));
        }
        assertThat(again).isEqualTo(rewards);
        assertThat(centreRewards).isNotEqualTo(rewards);
    }

    @Test
    void coverageAndSuccessAreMeasuredAgainstTheEpisodesGoal() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        for (PushTGoal goal : PushTGoal.ALL) {
            double[] b = legacyGoal(goal, 0);
            for (PushTGoal posed : PushTGoal.ALL) {
                double[] s = env.resetToState(posed.task(), 60, 460, b[0], b[1], goal.angle());
                assertThat(s[2]).isCloseTo(goal.x(), within(1e-6));
                assertThat(s[3]).isCloseTo(goal.y(), within(1e-6));
                assertThat(env.goal()).isSameAs(posed);
                StepResult r = env.step(new double[] {60, 460});
                boolean same = posed == goal;
                assertThat(r.terminated()).as("T on %s, task %s", goal, posed).isEqualTo(same);
                assertThat(env.success()).isEqualTo(same);
                if (same) {
                    assertThat(r.info().get("coverage")).isCloseTo(1.0, within(1e-6));
                } else {
                    assertThat(r.info().get("coverage")).isLessThan(0.5);
                }
            }
        }
    }

    @Test
    void startsAlmostNeverCoverAGoal() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        int n = 2000;
        for (EnvTask task : env.spec().tasks()) {
            int onGoal = 0;
            for (long seed = 0; seed < n; seed++) {
                env.reset(seed, task);
                onGoal += env.coverage() > PushTGeometry.SUCCESS_THRESHOLD ? 1 : 0;
            }
            // Measured: no start among seeds 0-19999 covers any task's goal above 0.95.
            assertThat(onGoal).as("task %s", task.name()).isLessThanOrEqualTo(n / 100);
        }
    }

    @Test
    void atTheGoalTheEpisodeSucceedsAtOnce() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        double[] b = legacyGoal(0);
        double[] s = env.resetToState(60, 460, b[0], b[1], PushTGeometry.GOAL_ANGLE);
        assertThat(s[2]).isCloseTo(256, within(1e-6));
        assertThat(s[3]).isCloseTo(256, within(1e-6));
        StepResult r = env.step(new double[] {60, 460});
        assertThat(r.info().get("coverage")).isCloseTo(1.0, within(1e-6));
        assertThat(r.info().get("is_success")).isEqualTo(1.0);
        assertThat(r.reward()).isEqualTo(1.0);
        assertThat(r.terminated()).isTrue();
        assertThat(env.success()).isTrue();
        assertThat(env.episodeMetrics()).containsEntry("max_reward", 1.0);
    }

    @Test
    void partialCoverageGivesScaledRewardAndNoTermination() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        double[] b = legacyGoal(12);
        env.resetToState(60, 460, b[0], b[1], PushTGeometry.GOAL_ANGLE);
        StepResult r = env.step(new double[] {60, 460});
        double coverage = r.info().get("coverage");
        assertThat(coverage).isBetween(0.5, 0.95);
        assertThat(r.reward()).isCloseTo(coverage / 0.95, within(1e-12));
        assertThat(r.terminated()).isFalse();
        assertThat(r.info().get("is_success")).isZero();
        assertThat(env.episodeMetrics().get("mean_coverage")).isEqualTo(coverage);
        assertThat(env.success()).isFalse();
    }

    @Test
    void episodeIsTruncatedAtThreeHundredSteps() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        assertThat(env.spec().maxSteps()).isEqualTo(300);
        double[] s = env.reset(5).state();
        StepResult r = null;
        for (int i = 1; i <= 300; i++) {
            r = env.step(new double[] {s[0], s[1]});
            assertThat(r.truncated()).isEqualTo(i == 300);
        }
        assertThat(r.terminated()).isFalse();
    }

    @Test
    void badActionsAreRefusedAndOutOfRangeOnesClipped() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        env.reset(1);
        assertThatThrownBy(() -> env.step(new double[] {1, 2, 3})).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("action");
        assertThatThrownBy(() -> env.step(new double[] {Double.NaN, 2})).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("action[0]");
        assertThatThrownBy(() -> env.step(null)).isInstanceOf(InvalidInputException.class);
        StepResult r = env.step(new double[] {600, -5});
        assertThat(r.info().get("clipped_actions")).isEqualTo(2.0);
        // The agent heads for the clipped target (512, 0), inside the workspace.
        for (int i = 0; i < 20; i++) {
            r = env.step(new double[] {600, -5});
        }
        double[] s = r.observation().state();
        assertThat(s[0]).isCloseTo(512, within(1.0));
        assertThat(s[1]).isCloseTo(0, within(1.0));
        assertThat(r.info().get("clipped_actions")).isEqualTo(42.0);
        assertThatThrownBy(() -> env.resetToState(1, 2, Double.NaN, 4, 5)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("reset_to_state[2]");
    }

    @Test
    void randomisationChangesTheBlockAndKeepsStarts() {
        PushTEnv plain = new PushTEnv(EnvConfig.DEFAULT);
        PushTEnv randomised = new PushTEnv(EnvConfig.DEFAULT.withRandomization(new Randomization(0.5, 0.3, 0, 0)));
        assertThat(randomised.reset(11).state()).isEqualTo(plain.reset(11).state());
        assertThat(randomised.sim().blockMass()).isNotEqualTo(1.0).isBetween(0.7, 1.3);
        assertThat(randomised.sim().blockFriction()).isPositive().isLessThan(0.5);
        assertThat(plain.sim().blockMass()).isEqualTo(1.0);
        assertThat(plain.sim().blockFriction()).isZero();
        // The same pushes move the randomised block differently.
        List<double[]> a = rollout(plain, 11, 60);
        List<double[]> b = rollout(randomised, 11, 60);
        assertThat(b.getLast()).isNotEqualTo(a.getLast());
    }

    @Test
    void registeredThroughTheServiceLoader() {
        var provider = EnvRegistry.load().get("pusht");
        assertThat(provider.spec().observationDim()).isEqualTo(5);
        assertThat(provider.spec().actionDim()).isEqualTo(2);
        assertThat(provider.create(EnvConfig.DEFAULT)).isInstanceOf(PushTEnv.class);
        assertThat(provider.spec().tasks()).extracting(EnvTask::name).containsExactly("centre", "upper-left", "lower-right");
        assertThat(provider.spec().defaultTask()).isEqualTo(PushTGoal.CENTRE.task());
    }
}
