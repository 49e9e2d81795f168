package kiban.sim.pusht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PushTGeometryTest {

    @Test
    void coverageIsOneAtTheGoalAndZeroFarAway() {
        assertThat(PushTGeometry.coverage(256, 256, Math.PI / 4)).isCloseTo(1.0, within(1e-9));
        assertThat(PushTGeometry.coverage(100, 100, 0)).isZero();
        assertThat(PushTGeometry.coverage(256, 256, Math.PI / 4 + Math.PI)).isBetween(0.0, 0.5);
    }

    @Test
    void coverageMatchesAPointCount() {
        double[][] poses = {{260, 250, 0.9}, {230, 280, 0.3}, {256, 300, Math.PI / 4}, {270, 240, 2.0}};
        double[][] goal = PushTGeometry.goalCorners();
        for (double[] p : poses) {
            double[][] block = PushTGeometry.corners(p[0], p[1], p[2]);
            int inGoal = 0;
            int inBoth = 0;
            for (double x = 100.25; x < 420; x += 0.5) {
                for (double y = 100.25; y < 420; y += 0.5) {
                    if (inside(goal, x, y)) {
                        inGoal++;
                        if (inside(block, x, y)) {
                            inBoth++;
                        }
                    }
                }
            }
            assertThat(PushTGeometry.coverage(p[0], p[1], p[2])).as("pose %s", java.util.Arrays.toString(p))
                    .isCloseTo((double) inBoth / inGoal, within(0.01));
        }
    }

    private static boolean inside(double[][] rects, double x, double y) {
        for (double[] r : rects) {
            boolean pos = true;
            boolean neg = true;
            for (int k = 0; k < 4; k++) {
                int j = (k + 1) % 4;
                double cross = (r[2 * j] - r[2 * k]) * (y - r[2 * k + 1]) - (r[2 * j + 1] - r[2 * k + 1]) * (x - r[2 * k]);
                pos &= cross >= 0;
                neg &= cross <= 0;
            }
            if (pos || neg) {
                return true;
            }
        }
        return false;
    }
}
