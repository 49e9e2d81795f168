package kiban.sim.highway;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

class HighwayExpertTest {

    @Test
    void expertDrivesTenEpisodesWithoutCollisionAboveTwentyFiveMetresPerSecond() {
        HighwayEnv env = new HighwayEnv(EnvConfig.DEFAULT);
        Expert expert = EnvRegistry.load().get("highway").expert(env);
        double speed = 0;
        int collisions = 0;
        int successes = 0;
        for (long seed = 100; seed < 110; seed++) {
            Observation o = env.reset(seed);
            expert.reset(seed);
            StepResult r;
            do {
                r = env.step(expert.act(o));
                o = r.observation();
            } while (!r.done());
            collisions += env.episodeMetrics().get("collision_rate") > 0 ? 1 : 0;
            speed += env.episodeMetrics().get("mean_speed");
            successes += env.success() ? 1 : 0;
        }
        assertThat(collisions).isZero();
        assertThat(successes).isEqualTo(10);
        assertThat(speed / 10).isGreaterThanOrEqualTo(25.0);
    }
}
