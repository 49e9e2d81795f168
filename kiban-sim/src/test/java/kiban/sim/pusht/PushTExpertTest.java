package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.sim.env.EnvConfig;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import org.junit.jupiter.api.Test;

class PushTExpertTest {

    @Test
    void theExpertSucceedsOnMostSeedsWithinTheStepLimit() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        Expert expert = new PushTProvider().expert(env);
        int successes = 0;
        for (long seed = 0; seed < 10; seed++) {
            Observation o = env.reset(seed);
            expert.reset(seed);
            StepResult r;
            do {
                r = env.step(expert.act(o));
                o = r.observation();
            } while (!r.done());
            assertThat(env.elapsedSteps()).isLessThanOrEqualTo(300);
            successes += env.success() ? 1 : 0;
        }
        assertThat(successes).isGreaterThanOrEqualTo(7);
    }
}
