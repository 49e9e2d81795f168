package kiban.sim.arm;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.Expert;
import kiban.sim.env.ExpertEpisode;
import kiban.sim.env.Randomization;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

class PickPlaceExpertTest {

    private final PickPlaceProvider provider = new PickPlaceProvider();

    private static int successes(PickPlaceProvider provider, Env env, int seeds) {
        Expert expert = provider.expert(env);
        int ok = 0;
        for (long seed = 100; seed < 100 + seeds; seed++) {
            StepResult r = ExpertEpisode.run(env, expert, seed);
            if (env.success()) {
                assertThat(r.terminated()).isTrue();
                assertThat(r.info().get("is_success")).isEqualTo(1.0);
                assertThat(env.episodeMetrics().get("placement_error")).isLessThanOrEqualTo(PickPlaceEnv.ZONE_RADIUS);
                ok++;
            }
        }
        return ok;
    }

    @Test
    void placesTheCubeOnNearlyEverySeed() {
        assertThat(successes(provider, provider.create(EnvConfig.DEFAULT), 10)).isGreaterThanOrEqualTo(9);
    }

    @Test
    void copesWithLatencyNoiseAndFrictionSpread() {
        Env env = provider.create(EnvConfig.DEFAULT.withRandomization(new Randomization(0.3, 0.3, 0.01, 2)));
        assertThat(successes(provider, env, 10)).isGreaterThanOrEqualTo(9);
    }

    /**
     * DAgger asks the expert to label states another driver reached: told what was sent, each label
     * starts from the arm's command, not from the expert's own trajectory, which it never executed.
     */
    @Test
    void labelsAnotherDriversStatesFromWhereThatDriverSentTheArm() {
        assertThat(labelDrift(true)).as("largest joint step of a label from the held arm, told").isLessThan(0.1);
        assertThat(labelDrift(false)).as("the same, not told: the expert's own plan runs away").isGreaterThan(0.3);
    }

    /** Holds the arm at home for 40 steps while the expert labels each; its labels' largest joint offset, rad. */
    private double labelDrift(boolean told) {
        PickPlaceEnv env = (PickPlaceEnv) provider.create(EnvConfig.DEFAULT);
        Expert expert = provider.expert(env);
        var obs = env.reset(7);
        expert.reset(7);
        double[] hold = java.util.Arrays.copyOf(PickPlaceEnv.HOME, Ur5eKinematics.DOF + 1);
        double worst = 0;
        for (int t = 0; t < 40; t++) {
            double[] label = expert.act(obs);
            for (int j = 0; j < Ur5eKinematics.DOF; j++) {
                worst = Math.max(worst, Math.abs(label[j] - env.jointPositions()[j]));
            }
            obs = env.step(hold).observation();
            if (told) {
                expert.executed(hold);
            }
        }
        return worst;
    }
}
