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
}
