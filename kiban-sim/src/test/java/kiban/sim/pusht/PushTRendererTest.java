package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.sim.env.EnvConfig;
import kiban.sim.env.Image;
import kiban.sim.env.Observation;
import kiban.sim.env.Randomization;
import kiban.sim.env.RenderRandomization;
import kiban.sim.render.RenderVariation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PushTRendererTest {

    /**
     * The fast renderer against the point-by-point one it replaced, over scenes along random
     * episodes of every goal and at several sizes: the same picture, pixel for pixel.
     */
    @Test
    void drawsWhatThePointByPointRendererDrew() {
        PushTEnv env = new PushTEnv(EnvConfig.DEFAULT);
        PushTReferenceRenderer reference = new PushTReferenceRenderer();
        SplittableRandom random = new SplittableRandom(7);
        int[][] sizes = {{96, 96}, {84, 84}, {64, 80}, {240, 240}};
        long pixels = 0;
        long differing = 0;
        long absoluteDifference = 0;
        int frames = 0;
        for (int episode = 0; episode < 6; episode++) {
            env.reset(episode, env.spec().tasks().get(episode % 3));
            for (int step = 0; step < 60; step++) {
                // Targets near the block so the agent touches and turns it.
                env.step(new double[] {env.sim().blockX() + random.nextDouble(-80, 80),
                    env.sim().blockY() + random.nextDouble(-80, 80)});
                if (step % 5 != 0) {
                    continue;
                }
                int[] size = sizes[frames++ % sizes.length];
                Image fast = env.render(size[0], size[1]);
                Image slow = reference.render(env.sim(), env.goal(), size[0], size[1]);
                byte[] a = fast.rgb();
                byte[] b = slow.rgb();
                for (int i = 0; i < a.length; i += 3) {
                    int d = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        d = Math.max(d, Math.abs((a[i + ch] & 0xff) - (b[i + ch] & 0xff)));
                        absoluteDifference += Math.abs((a[i + ch] & 0xff) - (b[i + ch] & 0xff));
                    }
                    pixels++;
                    differing += d > 0 ? 1 : 0;
                }
            }
        }
        assertThat(frames).isEqualTo(72);
        assertThat(differing).as("pixels that differ of %d (summed absolute difference %d)", pixels, absoluteDifference)
                .isZero();
    }

    @Test
    void colourAndLightingChangesKeepEveryObjectWhereItWas() {
        RenderRandomization coloursOnly = new RenderRandomization(0.08, 0.2, 0.08, 0, 0, 0);
        PushTEnv plain = new PushTEnv(EnvConfig.DEFAULT.withImages(true));
        PushTEnv varied = new PushTEnv(EnvConfig.DEFAULT.withImages(true)
                .withRandomization(Randomization.NONE.withRender(coloursOnly)));
        Image a = plain.reset(9).image();
        Image b = varied.reset(9).image();
        // Each drawn colour of the plain picture turns into one colour of its own: the same masks.
        Map<Integer, Integer> to = new HashMap<>();
        Map<Integer, Integer> from = new HashMap<>();
        List<Integer> palette = List.of(PushTRenderer.WHITE, PushTRenderer.WALL, PushTRenderer.GOAL, PushTRenderer.BLOCK_EDGE,
                PushTRenderer.BLOCK_FILL, PushTRenderer.AGENT, PushTRenderer.AGENT_INNER);
        for (int r = 0; r < 96; r++) {
            for (int c = 0; c < 96; c++) {
                int p = a.rgbAt(r, c);
                int q = b.rgbAt(r, c);
                if (palette.contains(p)) {
                    assertThat(to.computeIfAbsent(p, k -> q)).as("pixel %d,%d", r, c).isEqualTo(q);
                    assertThat(from.computeIfAbsent(q, k -> p)).as("pixel %d,%d", r, c).isEqualTo(p);
                }
            }
        }
        assertThat(to).hasSizeGreaterThanOrEqualTo(5);
        to.forEach((p, q) -> assertThat(q).as("colour %06x", p).isNotEqualTo(p));
    }

    @Test
    void aJitteredViewShowsTheSceneMovedAsTheViewSays() {
        RenderRandomization viewOnly = new RenderRandomization(0, 0, 0, 0.03, 3, 0.05);
        PushTEnv plain = new PushTEnv(EnvConfig.DEFAULT.withImages(true));
        PushTEnv varied = new PushTEnv(EnvConfig.DEFAULT.withImages(true)
                .withRandomization(Randomization.NONE.withRender(viewOnly)));
        // Large enough that the agent's centre is found to within a pixel, while the view moves it several.
        int size = 384;
        for (long seed = 20; seed < 25; seed++) {
            plain.reset(seed);
            varied.reset(seed);
            double[] a = agentCentre(plain.render(size, size));
            double[] b = agentCentre(varied.render(size, size));
            RenderVariation.View view = RenderVariation.draw(viewOnly, seed).view(size, size);
            double moved = Math.hypot(a[0] - b[0], a[1] - b[1]);
            double error = Math.hypot(view.x(b[0], b[1]) - a[0], view.y(b[0], b[1]) - a[1]);
            assertThat(error).as("seed %d: the agent's centre mapped back through the view (it moved %.2f px)", seed, moved)
                    .isLessThan(1.0);
            assertThat(moved).as("seed %d", seed).isGreaterThan(3);
        }
    }

    /** The centre of the agent's pixels, as (x, y) in pixel units with pixel centres at +0.5. */
    private static double[] agentCentre(Image image) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int r = 0; r < image.height(); r++) {
            for (int c = 0; c < image.width(); c++) {
                int p = image.rgbAt(r, c);
                if (p == PushTRenderer.AGENT || p == PushTRenderer.AGENT_INNER) {
                    sx += c + 0.5;
                    sy += r + 0.5;
                    n++;
                }
            }
        }
        assertThat(n).isPositive();
        return new double[] {sx / n, sy / n};
    }

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
