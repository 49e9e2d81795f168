package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InitialStateTest {

    @Test
    void resetDrawsStayInGymPushtRanges() {
        double sum = 0;
        double sumSq = 0;
        int n = 4000;
        for (long seed = 0; seed < n; seed++) {
            InitialState s = InitialState.draw(new SplittableRandom(seed));
            assertThat(s.agentX()).isBetween(50, 449);
            assertThat(s.agentY()).isBetween(50, 449);
            assertThat(s.blockX()).isBetween(100, 399);
            assertThat(s.blockY()).isBetween(100, 399);
            sum += s.blockAngle();
            sumSq += s.blockAngle() * s.blockAngle();
        }
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        // Gaussian * 2 pi - pi, not uniform: mean -pi, standard deviation 2 pi.
        assertThat(mean).isCloseTo(-Math.PI, within(0.25));
        assertThat(std).isCloseTo(2 * Math.PI, within(0.25));
    }
}
