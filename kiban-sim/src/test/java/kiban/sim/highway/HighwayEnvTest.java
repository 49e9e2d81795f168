package kiban.sim.highway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Image;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import kiban.sim.highway.traffic.Vehicle;
import org.junit.jupiter.api.Test;

class HighwayEnvTest {

    @Test
    void registeredWithTheVehicleEmbodimentAndTaskFeatures() {
        Env env = EnvRegistry.load().get("highway").create(EnvConfig.DEFAULT);
        assertThat(env.spec().embodiment().name()).isEqualTo("vehicle");
        assertThat(env.spec().observationDim()).isEqualTo(4 + 25 + 2 + 15);
        assertThat(env.spec().actionDim()).isEqualTo(2);
        assertThat(env.spec().maxSteps()).isEqualTo(200);
        assertThat(env.spec().cameras().getFirst().name()).isEqualTo("top");
    }

    @Test
    void resetSpawnsEgoBehindFiftyVehiclesAtTwentyFiveMetresPerSecond() {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        Observation o = env.reset(3);
        assertThat(env.traffic().vehicles()).hasSize(51);
        assertThat(o.state(3)).isEqualTo(25.0);
        for (Vehicle v : env.traffic().vehicles()) {
            if (v != env.ego()) {
                assertThat(v.x()).isGreaterThan(env.ego().x());
                assertThat(v.speed()).isBetween(21.0, 24.0);
                assertThat(v.delta()).isBetween(3.5, 4.5);
            }
        }
        // The nearest vehicle ahead is observed first, relative to the ego.
        assertThat(o.state(4)).isEqualTo(1.0);
        assertThat(o.state(5)).isPositive().isLessThan(o.state(10));
    }

    @Test
    void sameSeedGivesTheSameTrajectoryBitForBit() {
        List<double[]> a = rollout(42);
        List<double[]> b = rollout(42);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).isEqualTo(b.get(i));
        }
        assertThat(rollout(43).getFirst()).isNotEqualTo(a.getFirst());
    }

    private static List<double[]> rollout(long seed) {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        SplittableRandom random = new SplittableRandom(7);
        List<double[]> out = new ArrayList<>();
        out.add(env.reset(seed).state());
        for (int i = 0; i < 60; i++) {
            StepResult r = env.step(new double[] {random.nextDouble(-3, 3), random.nextDouble(-0.01, 0.01)});
            double[] s = r.observation().state();
            double[] row = java.util.Arrays.copyOf(s, s.length + 1);
            row[s.length] = r.reward();
            out.add(row);
            if (r.done()) {
                break;
            }
        }
        return out;
    }

    @Test
    void wrongShapeAndNonFiniteActionsAreRefused() {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        env.reset(0);
        assertThatThrownBy(() -> env.step(new double[] {1.0}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("acceleration");
        assertThatThrownBy(() -> env.step(new double[] {0.0, Double.NaN}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("action[1]");
        assertThat(env.elapsedSteps()).isZero();
    }

    @Test
    void outOfRangeActionsAreClippedAndCounted() {
        HighwayEnv a = new HighwayEnv(EnvConfig.DEFAULT);
        HighwayEnv b = new HighwayEnv(EnvConfig.DEFAULT);
        a.reset(5);
        b.reset(5);
        StepResult clipped = a.step(new double[] {-50, 2});
        StepResult limit = b.step(new double[] {-5, Math.PI / 4});
        assertThat(clipped.info().get("clipped_actions")).isEqualTo(2.0);
        assertThat(limit.info().get("clipped_actions")).isZero();
        assertThat(clipped.observation().state()).isEqualTo(limit.observation().state());
    }

    @Test
    void rewardInfoAndMetricsFollowHighwayEnv() {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        env.reset(1);
        StepResult r = env.step(new double[] {0, 0});
        Vehicle ego = env.ego();
        double speedTerm = Math.min(1, Math.max(0, (ego.speed() * Math.cos(ego.heading()) - 20) / 10));
        double expected = (0.1 * ego.lane() / 3.0 + 0.4 * speedTerm + 1) / 1.5;
        assertThat(r.reward()).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r.info()).containsKeys("speed", "crashed", "on_road", "lane_changes", "clipped_actions");
        assertThat(env.episodeMetrics()).containsOnlyKeys("collision_rate", "mean_speed", "offroad_rate", "lane_changes");
        assertThat(env.success()).isFalse();
    }

    @Test
    void drivingOffTheRoadZeroesTheRewardWithoutEndingTheEpisode() {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        env.reset(2);
        StepResult r = null;
        for (int i = 0; i < 40; i++) {
            // Steer left hard, then straight: leave the road past lane 0.
            r = env.step(new double[] {-1, i < 5 ? -0.3 : 0});
            if (r.done() || r.info().get("on_road") == 0) {
                break;
            }
        }
        assertThat(r.info().get("on_road")).isZero();
        assertThat(r.reward()).isZero();
        assertThat(env.episodeMetrics().get("offroad_rate")).isPositive();
    }

    @Test
    void rendersATopDownViewWithTheEgoLookingAhead() {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT.withImages(true));
        Observation o = env.reset(0);
        Image img = o.image();
        assertThat(img.height()).isEqualTo(64);
        assertThat(img.width()).isEqualTo(128);
        // highway-env's centering_position [0.3, 0.5]: the ego 30% from the left, half way down.
        assertThat(img.rgbAt(32, (int) (0.3 * 128))).isEqualTo(0x32C800);
        assertThat(img.rgbAt(32, 64)).isNotEqualTo(0x32C800);
        Image wide = env.render(60, 200);
        assertThat(wide.width()).isEqualTo(200);
        // Road grey and lane markings white both appear.
        boolean grey = false;
        boolean white = false;
        for (int r = 0; r < 60; r++) {
            for (int c = 0; c < 200; c++) {
                grey |= wide.rgbAt(r, c) == 0x646464;
                white |= wide.rgbAt(r, c) == 0xFFFFFF;
            }
        }
        assertThat(grey).isTrue();
        assertThat(white).isTrue();
    }

    @Test
    void frictionAndMassSpreadScaleTheEgoAccelerationPerEpisode() {
        HighwayEnv plain = new HighwayEnv(EnvConfig.DEFAULT);
        HighwayEnv randomised = new HighwayEnv(EnvConfig.DEFAULT.withRandomization(
                new kiban.sim.env.Randomization(0.5, 0.5, 0, 0)));
        plain.reset(9);
        randomised.reset(9);
        // Same traffic for the same seed; a different speed change for the same command.
        assertThat(randomised.ego().x()).isEqualTo(plain.ego().x());
        double v0 = plain.ego().speed();
        plain.step(new double[] {2, 0});
        randomised.step(new double[] {2, 0});
        double gain = (randomised.ego().speed() - v0) / (plain.ego().speed() - v0);
        assertThat(gain).isBetween(0.5 / 1.5, 1.5 / 0.5).isNotEqualTo(1.0);
        HighwayEnv again = new HighwayEnv(EnvConfig.DEFAULT.withRandomization(
                new kiban.sim.env.Randomization(0.5, 0.5, 0, 0)));
        again.reset(9);
        again.step(new double[] {2, 0});
        assertThat(again.ego().speed()).isEqualTo(randomised.ego().speed());
    }
}
