package kiban.sim.highway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvTask;
import kiban.sim.env.StepResult;
import kiban.sim.highway.traffic.Vehicle;
import org.junit.jupiter.api.Test;

class HighwayTasksTest {

    @Test
    void highwayV0IsTheFirstTaskAndTheLaneTasksNameTheirLane() {
        assertThat(EnvRegistry.load().get("highway").spec().tasks()).containsExactly(
                HighwayTasks.DRIVE_FAST, HighwayTasks.KEEP_RIGHT, HighwayTasks.KEEP_LEFT);
        assertThat(HighwayTasks.lane(HighwayTasks.DRIVE_FAST, kiban.sim.highway.traffic.Road.HIGHWAY)).isEqualTo(-1);
        assertThat(HighwayTasks.lane(HighwayTasks.KEEP_RIGHT, kiban.sim.highway.traffic.Road.HIGHWAY)).isEqualTo(3);
        assertThat(HighwayTasks.lane(HighwayTasks.KEEP_LEFT, kiban.sim.highway.traffic.Road.HIGHWAY)).isZero();
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        env.reset(4);
        assertThat(env.task()).isEqualTo(HighwayTasks.DRIVE_FAST);
    }

    @Test
    void everyTaskStartsFromTheSameObservationForASeed() {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT.withImages(true));
        for (long seed = 0; seed < 5; seed++) {
            double[] first = env.reset(seed).state();
            int pixel = env.render(96, 96).rgbAt(48, 60);
            for (EnvTask task : HighwayTasks.ALL) {
                assertThat(env.reset(seed, task).state()).isEqualTo(first);
                assertThat(env.render(96, 96).rgbAt(48, 60)).isEqualTo(pixel);
                assertThat(env.task()).isEqualTo(task);
            }
        }
    }

    @Test
    void theTaskChangesRewardAndSuccessButNeverTheMotion() {
        List<double[]> fast = rollout(HighwayTasks.DRIVE_FAST, 11);
        List<double[]> right = rollout(HighwayTasks.KEEP_RIGHT, 11);
        List<double[]> rightAgain = rollout(HighwayTasks.KEEP_RIGHT, 11);
        assertThat(right).hasSameSizeAs(fast).hasSameSizeAs(rightAgain);
        boolean rewardDiffers = false;
        for (int i = 0; i < right.size(); i++) {
            double[] a = right.get(i);
            double[] b = fast.get(i);
            assertThat(rightAgain.get(i)).isEqualTo(a);
            assertThat(java.util.Arrays.copyOf(a, a.length - 1)).isEqualTo(java.util.Arrays.copyOf(b, b.length - 1));
            rewardDiffers |= a[a.length - 1] != b[b.length - 1];
        }
        assertThat(rewardDiffers).isTrue();
    }

    /** States then the reward, per step, of random gentle driving. */
    private static List<double[]> rollout(EnvTask task, long seed) {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        SplittableRandom random = new SplittableRandom(3);
        List<double[]> out = new ArrayList<>();
        out.add(java.util.Arrays.copyOf(env.reset(seed, task).state(), env.spec().observationDim() + 1));
        for (int i = 0; i < 60; i++) {
            StepResult r = env.step(new double[] {random.nextDouble(-3, 3), random.nextDouble(-0.02, 0.02)});
            double[] row = java.util.Arrays.copyOf(r.observation().state(), env.spec().observationDim() + 1);
            row[row.length - 1] = r.reward();
            out.add(row);
            if (r.done()) {
                break;
            }
        }
        return out;
    }

    @Test
    void aLaneTaskRewardsClosenessToItsLaneAndSpeed() {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        for (EnvTask task : List.of(HighwayTasks.KEEP_RIGHT, HighwayTasks.KEEP_LEFT)) {
            env.reset(1, task);
            StepResult r = env.step(new double[] {0, 0});
            Vehicle ego = env.ego();
            int wanted = task.equals(HighwayTasks.KEEP_RIGHT) ? 3 : 0;
            double lane = 1 - Math.abs(ego.lane() - wanted) / 3.0;
            double speed = Math.min(1, ego.speed() * Math.cos(ego.heading()) / 30);
            assertThat(r.reward()).isCloseTo((0.4 * lane + 0.1 * speed + 1) / 1.5, within(1e-12));
            assertThat(env.episodeMetrics()).containsOnlyKeys(
                    "collision_rate", "mean_speed", "offroad_rate", "lane_changes", "in_lane_rate");
            assertThat(env.episodeMetrics().get("in_lane_rate")).isEqualTo(ego.lane() == wanted ? 1.0 : 0.0);
        }
    }

    @Test
    void holdingTheLaneByCrawlingFailsAndAtTrafficSpeedSucceeds() {
        long seed = seedStartingIn(3);
        assertThat(drive(seed, HighwayTasks.KEEP_RIGHT, 10)).isFalse();
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        assertThat(env.episodeMetrics()).doesNotContainKey("in_lane_rate");
        // Straight on at 18 m/s, behind all traffic (it starts ahead at 21-24 m/s): in lane, fast enough.
        assertThat(drive(seed, HighwayTasks.KEEP_RIGHT, 18)).isTrue();
        assertThat(drive(seed, HighwayTasks.KEEP_LEFT, 18)).isFalse();
        assertThat(drive(seed, HighwayTasks.DRIVE_FAST, 18)).isTrue();
    }

    /** Drives straight ahead at {@code speed}, reporting success. */
    private static boolean drive(long seed, EnvTask task, double speed) {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        env.reset(seed, task);
        StepResult r;
        do {
            r = env.step(new double[] {Math.max(-5, Math.min(5, (speed - env.ego().speed()) / 0.6)), 0});
        } while (!r.done());
        return env.success();
    }

    private static long seedStartingIn(int lane) {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        for (long seed = 0; ; seed++) {
            env.reset(seed);
            if (env.ego().lane() == lane) {
                return seed;
            }
        }
    }
}
