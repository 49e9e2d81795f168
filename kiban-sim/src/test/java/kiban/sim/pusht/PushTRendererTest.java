package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.sim.env.EnvConfig;
import kiban.sim.env.Image;
import kiban.sim.env.Observation;
import org.junit.jupiter.api.Test;

class PushTRendererTest {

    @Test
    void imagesShowTheGoalBlockAndAgent() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT.withImages(true));
        Observation o = env.reset(3);
        Image image = o.image();
        assertThat(image.height()).isEqualTo(96);
        assertThat(image.width()).isEqualTo(96);
        int goalPixels = 0;
        int agentPixels = 0;
        int blockPixels = 0;
        for (int r = 0; r < 96; r++) {
            for (int c = 0; c < 96; c++) {
                int p = image.rgbAt(r, c);
                goalPixels += p == PushTRenderer.GOAL ? 1 : 0;
                agentPixels += p == PushTRenderer.AGENT_INNER || p == PushTRenderer.AGENT ? 1 : 0;
                blockPixels += p == PushTRenderer.BLOCK_FILL ? 1 : 0;
            }
        }
        assertThat(goalPixels).isGreaterThan(100);
        assertThat(agentPixels).isPositive();
        assertThat(blockPixels).isPositive();
        double[] s = o.state();
        int ar = (int) (s[1] * 96 / 512);
        int ac = (int) (s[0] * 96 / 512);
        assertThat(image.rgbAt(ar, ac)).isIn(PushTRenderer.AGENT_INNER, PushTRenderer.AGENT);
        assertThat(image.rgbAt(0, 95)).isEqualTo(PushTRenderer.WHITE);
    }

    @Test
    void theFrameShowsTheGoalOfTheEpisodesTask() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        for (PushTGoal posed : PushTGoal.ALL) {
            // The T in the upper-right corner and the agent lower left, clear of every goal.
            env.resetToState(posed.task(), 60, 460, 400, 60, 0);
            Image image = env.render(512, 512);
            for (PushTGoal goal : PushTGoal.ALL) {
                // The middle of the goal's stem, local (0, 75).
                double x = goal.x() - 75 * Math.sin(goal.angle());
                double y = goal.y() + 75 * Math.cos(goal.angle());
                boolean drawn = image.rgbAt((int) y, (int) x) == PushTRenderer.GOAL;
                assertThat(drawn).as("goal %s in a frame of %s", goal, posed).isEqualTo(goal == posed);
            }
        }
    }
}
