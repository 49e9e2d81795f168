package kiban.sim.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

class PickPlaceTasksTest {

    private static final int SEEDS = 10;
    private final PickPlaceProvider provider = new PickPlaceProvider();

    @Test
    void theSpecPosesTheTasksWithTodaysFirst() {
        assertThat(provider.spec().tasks()).containsExactlyElementsOf(PickPlaceTasks.ALL);
        assertThat(provider.spec().defaultTask()).isEqualTo(PickPlaceTasks.PLACE_IN_ZONE);
        Env env = provider.create(EnvConfig.DEFAULT);
        env.reset(4);
        assertThat(env.task()).isEqualTo(PickPlaceTasks.PLACE_IN_ZONE);
    }

    @Test
    void everyTaskStartsFromTheSameObservationAndPicture() {
        Env env = provider.create(EnvConfig.DEFAULT.withImages(true));
        for (long seed = 0; seed < 5; seed++) {
            Observation first = env.reset(seed, PickPlaceTasks.PLACE_IN_ZONE);
            for (EnvTask task : PickPlaceTasks.ALL) {
                Observation o = env.reset(seed, task);
                assertThat(o.state()).as("%s, seed %d", task.name(), seed).containsExactly(first.state());
                assertThat(o.image().rgb()).as("%s, seed %d", task.name(), seed).isEqualTo(first.image().rgb());
            }
        }
    }

    /** Successes of the expert of {@code expertTask} in episodes of {@code envTask}, seeds 100 on. */
    private int successes(EnvTask expertTask, EnvTask envTask) {
        Env env = provider.create(EnvConfig.DEFAULT);
        // the expert reads the task of its own env at reset, so it drives a twin posing its task;
        // the twin gets the same actions and, the motion not depending on the task, the same states
        Env twin = provider.create(EnvConfig.DEFAULT);
        Expert expert = provider.expert(twin);
        int ok = 0;
        for (long seed = 100; seed < 100 + SEEDS; seed++) {
            Observation o = env.reset(seed, envTask);
            twin.reset(seed, expertTask);
            expert.reset(seed);
            StepResult r;
            do {
                double[] action = expert.act(o);
                r = env.step(action);
                assertThat(twin.step(action).observation().state()).containsExactly(r.observation().state());
                o = r.observation();
            } while (!r.done());
            if (env.success()) {
                assertThat(r.terminated()).isTrue();
                assertThat(r.info().get("is_success")).isEqualTo(1.0);
                ok++;
            }
        }
        return ok;
    }

    @Test
    void theExpertDoesEveryTask() {
        // measured 10 of 10 on every task for seeds 100-109 (and 50 of 50 for seeds 0-49)
        for (EnvTask task : PickPlaceTasks.ALL) {
            assertThat(successes(task, task)).as(task.name()).isGreaterThanOrEqualTo(9);
        }
    }

    @Test
    void theExpertOfOneTaskFailsTheOthers() {
        // measured 0 of 10 for every pair of different tasks
        for (EnvTask expertTask : PickPlaceTasks.ALL) {
            for (EnvTask envTask : PickPlaceTasks.ALL) {
                if (!expertTask.equals(envTask)) {
                    assertThat(successes(expertTask, envTask)).as("%s expert on %s", expertTask.name(), envTask.name())
                            .isLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    void liftingEndsWithTheCubeHeldStillAboveTheLiftHeight() {
        PickPlaceEnv env = (PickPlaceEnv) provider.create(EnvConfig.DEFAULT);
        Expert expert = provider.expert(env);
        Observation o = env.reset(7, PickPlaceTasks.LIFT);
        expert.reset(7);
        List<Double> heights = new ArrayList<>();
        StepResult r;
        do {
            r = env.step(expert.act(o));
            o = r.observation();
            heights.add(env.cube().held ? env.cube().pos[2] - PickPlaceEnv.CUBE_SIZE / 2 : 0);
        } while (!r.done());
        assertThat(env.success()).isTrue();
        assertThat(env.holding()).isTrue();
        List<Double> held = heights.subList(heights.size() - PickPlaceTasks.HOLD_STEPS, heights.size());
        assertThat(held).allSatisfy(h -> assertThat(h).isGreaterThanOrEqualTo(PickPlaceTasks.LIFT_HEIGHT));
        double drift = PickPlaceTasks.STILL_SPEED * PickPlaceTasks.HOLD_STEPS / env.spec().controlHz();
        assertThat(held.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                - held.stream().mapToDouble(Double::doubleValue).min().orElseThrow()).isLessThanOrEqualTo(drift);
        assertThat(heights.size()).as("held high and still sooner than the whole episode").isLessThan(PickPlaceProvider.MAX_STEPS);
        assertThat(env.episodeMetrics().get("placement_error")).isZero();
    }

    @Test
    void puttingLeftEndsWithTheCubeAtRestBeyondTheWorkArea() {
        PickPlaceEnv env = (PickPlaceEnv) provider.create(EnvConfig.DEFAULT);
        Expert expert = provider.expert(env);
        Observation o = env.reset(7, PickPlaceTasks.PUT_LEFT);
        expert.reset(7);
        StepResult r;
        do {
            r = env.step(expert.act(o));
            o = r.observation();
        } while (!r.done());
        assertThat(env.success()).isTrue();
        assertThat(env.cube().resting()).isTrue();
        assertThat(env.cube().pos[1]).isGreaterThanOrEqualTo(PickPlaceTasks.LEFT_SIDE_Y);
        assertThat(env.episodeMetrics().get("placement_error")).isZero();
        // the zone's edge lies nearer the work area than the left side begins
        assertThat(Layout.Y_MAX + PickPlaceEnv.ZONE_RADIUS).isLessThan(PickPlaceTasks.LEFT_SIDE_Y);
    }

    @Test
    void sameSeedTaskAndActionsGiveTheSameTrajectory() {
        for (EnvTask task : PickPlaceTasks.ALL) {
            assertThat(trajectory(task, 11, true)).as(task.name()).isEqualTo(trajectory(task, 11, true));
            assertThat(trajectory(task, 11, true)).as(task.name()).isNotEqualTo(trajectory(task, 12, true));
        }
    }

    @Test
    void theTaskChangesTheRewardNotTheMotion() {
        List<String> place = trajectory(PickPlaceTasks.PLACE_IN_ZONE, 11, false);
        for (EnvTask task : PickPlaceTasks.ALL) {
            assertThat(trajectory(task, 11, false)).as(task.name()).isEqualTo(place);
            if (!task.equals(PickPlaceTasks.PLACE_IN_ZONE)) {
                assertThat(trajectory(task, 11, true)).as(task.name())
                        .isNotEqualTo(trajectory(PickPlaceTasks.PLACE_IN_ZONE, 11, true));
            }
        }
    }

    /** The expert of the default task's actions replayed under {@code task}, step by step. */
    private List<String> trajectory(EnvTask task, long seed, boolean withReward) {
        Env env = provider.create(EnvConfig.DEFAULT);
        Env twin = provider.create(EnvConfig.DEFAULT);
        Expert expert = provider.expert(twin);
        Observation o = env.reset(seed, task);
        twin.reset(seed);
        expert.reset(seed);
        List<String> out = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            double[] action = expert.act(o);
            twin.step(action);
            StepResult r = env.step(action);
            o = r.observation();
            StringBuilder b = new StringBuilder();
            for (double v : o.state()) {
                b.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(' ');
            }
            if (withReward) {
                b.append(Double.doubleToRawLongBits(r.reward()));
            }
            out.add(b.toString());
        }
        return out;
    }
}
