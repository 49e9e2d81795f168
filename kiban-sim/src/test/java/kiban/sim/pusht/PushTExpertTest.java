package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kiban.core.progress.Progress;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Expert;
import kiban.sim.env.ExpertEpisode;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;
import kiban.sim.env.TaskSchedule;
import kiban.sim.rollout.EpisodeResult;
import kiban.sim.rollout.Rollouts;
import org.junit.jupiter.api.Test;

class PushTExpertTest {

    @Test
    void theExpertSucceedsOnMostSeedsWithinTheStepLimit() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        Expert expert = new PushTProvider().expert(env);
        int successes = 0;
        for (long seed = 0; seed < 10; seed++) {
            ExpertEpisode.run(env, expert, seed);
            assertThat(env.elapsedSteps()).isLessThanOrEqualTo(300);
            successes += env.success() ? 1 : 0;
        }
        assertThat(successes).isGreaterThanOrEqualTo(7);
    }

    @Test
    void theExpertReachesTheGoalOfEveryOtherTask() {
        // The default task is the test above. Measured with kiban sim run --episodes 50 --seed 0:
        // upper-left 50/50 and lower-right 50/50; a floor of 2 of 3 seeds leaves room.
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        Expert expert = new PushTProvider().expert(env);
        for (PushTGoal goal : List.of(PushTGoal.UPPER_LEFT, PushTGoal.LOWER_RIGHT)) {
            long successes = Rollouts.run(env, e -> expert, "expert", 3, 0, new TaskSchedule(List.of(goal.task())), null,
                    Progress.start("pusht", "episodes", 3, false)).perEpisode().stream().filter(EpisodeResult::success).count();
            assertThat(successes).as("task %s", goal.task().name()).isGreaterThanOrEqualTo(2);
        }
    }

    /**
     * A policy that ignores the instruction: the expert of one task drives its env while the same
     * actions go to envs of the other tasks started from the same seed. Their states stay equal (the
     * start and the physics do not depend on the task) and they do not succeed. The run stops when
     * the driven episode ends: from there on the expert only holds the T on its own goal.
     */
    @Test
    void theExpertOfOneTaskFailsTheOthers() {
        List<EnvTask> tasks = PushTEnv.envSpec().tasks();
        int ownSuccesses = 0;
        int otherSuccesses = 0;
        for (int k = 0; k < tasks.size(); k++) {
            long seed = 20 + k;
            PushTEnv driven = new PushTEnv(EnvConfig.DEFAULT);
            Expert expert = new PushTProvider().expert(driven);
            List<PushTEnv> others = new ArrayList<>();
            Observation o = driven.reset(seed, tasks.get(k));
            expert.reset(seed);
            for (EnvTask other : tasks) {
                if (!other.equals(tasks.get(k))) {
                    PushTEnv e = new PushTEnv(EnvConfig.DEFAULT);
                    assertThat(e.reset(seed, other).state()).isEqualTo(o.state());
                    others.add(e);
                }
            }
            StepResult r;
            do {
                double[] action = expert.act(o);
                r = driven.step(action);
                o = r.observation();
                for (PushTEnv e : others) {
                    assertThat(e.step(action).observation().state()).isEqualTo(o.state());
                }
            } while (!r.done());
            ownSuccesses += driven.success() ? 1 : 0;
            for (PushTEnv e : others) {
                otherSuccesses += e.success() ? 1 : 0;
            }
        }
        assertThat(ownSuccesses).isGreaterThanOrEqualTo(2);
        assertThat(otherSuccesses).isZero();
    }
}
