package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PushTSimTest {

    @Test
    void aCopiedStateStepsExactlyLikeTheOriginal() {
        PushTSim a = new PushTSim();
        a.setLegacy(150, 300, 230, 260, 0.4);
        for (int i = 0; i < 5; i++) {
            a.step(260, 300);
        }
        PushTSim b = new PushTSim();
        b.copyFrom(a);
        for (int i = 0; i < 10; i++) {
            a.step(300, 320);
            b.step(300, 320);
        }
        assertThat(b.state()).isEqualTo(a.state());
    }

    @Test
    void theAgentPushesTheBlockWhichStopsWhenTheAgentDoes() {
        PushTSim sim = new PushTSim();
        // Stem spans x 241..271 and y 330..420 at pose (256, 300, 0); push it rightward from the left.
        sim.set(new PushTSim.State(150, 375, 0, 0, 256, 300, 0));
        for (int i = 0; i < 15; i++) {
            sim.step(290, 375);
        }
        assertThat(sim.blockX()).isGreaterThan(270);
        // A push below the centre of gravity (y 345) turns the T.
        assertThat(sim.blockAngle()).isNotCloseTo(0, within(0.05));
        PushTSim.State before = sim.state();
        for (int i = 0; i < 5; i++) {
            sim.step(100, 375);
        }
        // Damping 0: once the agent leaves, the block keeps no velocity.
        assertThat(sim.blockX()).isCloseTo(before.blockX(), within(0.5));
        assertThat(sim.blockY()).isCloseTo(before.blockY(), within(0.5));
    }

    @Test
    void theAgentFollowsTheCriticallyDampedPdLaw() {
        PushTSim sim = new PushTSim();
        sim.set(new PushTSim.State(100, 100, 0, 0, 400, 400, 0));
        sim.step(200, 100);
        // Semi-implicit Euler of x'' = 100 (200 - x) - 20 x', 10 substeps of 0.01 s.
        double x = 100;
        double v = 0;
        for (int i = 0; i < 10; i++) {
            v += (100 * (200 - x) - 20 * v) * 0.01;
            x += v * 0.01;
        }
        assertThat(sim.agentX()).isCloseTo(x, within(1e-9));
        assertThat(sim.agentY()).isCloseTo(100, within(1e-9));
    }
}
