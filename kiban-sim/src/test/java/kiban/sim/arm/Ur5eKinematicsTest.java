package kiban.sim.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Ur5eKinematicsTest {

    private static final double H = Math.PI / 2;

    @Test
    void zeroPoseMatchesThePublishedSanityCheck() {
        double[] f = Ur5eKinematics.flange(new double[6]);
        assertThat(Ur5eKinematics.position(f)).containsExactly(new double[] {-0.8172, -0.2329, 0.0628}, within(1e-12));
    }

    @Test
    void uprightPoseMatchesThePublishedSanityCheck() {
        double[] f = Ur5eKinematics.flange(new double[] {0, -H, 0, -H, 0, 0});
        assertThat(Ur5eKinematics.position(f)).containsExactly(new double[] {0, -0.2329, 1.0794}, within(1e-12));
    }

    @Test
    void tcpSitsToolLengthAlongTheFlangeAxis() {
        double[] q = {0.3, -1.2, 1.4, -1.7, -1.5, 0.4};
        double[] f = Ur5eKinematics.flange(q);
        double[] t = Ur5eKinematics.tcp(q);
        for (int r = 0; r < 3; r++) {
            assertThat(t[r * 4 + 3]).isCloseTo(f[r * 4 + 3] + Ur5eKinematics.TOOL_LENGTH * f[r * 4 + 2], within(1e-15));
        }
    }

    @Test
    void jacobianMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(7);
        double[] q = new double[6];
        for (int k = 0; k < 6; k++) {
            q[k] = random.nextDouble(-2, 2);
        }
        double[][] frames = Ur5eKinematics.newFrames();
        Ur5eKinematics.frames(q, frames);
        double[] jac = new double[36];
        Ur5eKinematics.jacobian(frames, jac);
        double h = 1e-7;
        for (int j = 0; j < 6; j++) {
            double[] qp = q.clone();
            qp[j] += h;
            double[] tp = Ur5eKinematics.tcp(qp);
            double[] t = frames[6];
            for (int r = 0; r < 3; r++) {
                assertThat((tp[r * 4 + 3] - t[r * 4 + 3]) / h).as("dp%d/dq%d", r, j).isCloseTo(jac[r * 6 + j], within(1e-5));
            }
            // angular part: the skew part of dR R^T
            double[] e = new double[6];
            InverseKinematics.error(t, tp, e);
            for (int r = 0; r < 3; r++) {
                assertThat(e[3 + r] / h).as("w%d/dq%d", r, j).isCloseTo(jac[(3 + r) * 6 + j], within(1e-5));
            }
        }
    }
}
