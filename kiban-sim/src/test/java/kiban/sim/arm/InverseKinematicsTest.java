package kiban.sim.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InverseKinematicsTest {

    private static final double[] LOW = {-2 * Math.PI, -2 * Math.PI, -Math.PI, -2 * Math.PI, -2 * Math.PI, -2 * Math.PI};
    private static final double[] HIGH = {2 * Math.PI, 2 * Math.PI, Math.PI, 2 * Math.PI, 2 * Math.PI, 2 * Math.PI};

    @Test
    void roundTripRecoversThePoseFromANearbyStart() {
        InverseKinematics ik = new InverseKinematics(InverseKinematics.DEFAULT_DAMPING, LOW, HIGH);
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 50; trial++) {
            double[] q = new double[6];
            for (int k = 0; k < 6; k++) {
                // away from the stretched-arm and aligned-wrist singularities
                q[k] = PickPlaceEnv.HOME[k] + random.nextDouble(-0.6, 0.6);
            }
            double[] target = Ur5eKinematics.tcp(q);
            double[] start = q.clone();
            for (int k = 0; k < 6; k++) {
                start[k] += random.nextDouble(-0.3, 0.3);
            }
            InverseKinematics.Solution s = ik.solve(start, target, 200, 1e-9);
            assertThat(s.converged(1e-8, 1e-8)).as("trial %d: %s", trial, s).isTrue();
            double[] reached = Ur5eKinematics.tcp(s.q());
            for (int i = 0; i < 12; i++) {
                assertThat(reached[i]).isCloseTo(target[i], within(1e-7));
            }
        }
    }

    @Test
    void topDownPoseReachedWithTheRequestedYaw() {
        InverseKinematics ik = new InverseKinematics(InverseKinematics.DEFAULT_DAMPING, LOW, HIGH);
        double[] pose = InverseKinematics.topDownPose(-0.5, 0.2, 0.1, 0.7);
        InverseKinematics.Solution s = ik.solve(PickPlaceEnv.HOME, pose, 200, 1e-9);
        double[] tcp = Ur5eKinematics.tcp(s.q());
        assertThat(Ur5eKinematics.position(tcp)).containsExactly(new double[] {-0.5, 0.2, 0.1}, within(1e-7));
        assertThat(tcp[10]).isCloseTo(-1, within(1e-7));
        assertThat(PickPlaceEnv.jawYaw(tcp)).isCloseTo(0.7, within(1e-6));
    }

    @Test
    void staysWithinJointLimits() {
        double[] low = LOW.clone();
        double[] high = HIGH.clone();
        low[2] = 1.0; // elbow may not straighten below 1 rad: the target is out of reach
        InverseKinematics ik = new InverseKinematics(InverseKinematics.DEFAULT_DAMPING, low, high);
        double[] far = Ur5eKinematics.tcp(new double[] {0, -1.2, 0.2, -1.5, -1.5, 0});
        InverseKinematics.Solution s = ik.solve(PickPlaceEnv.HOME, far, 100, 1e-9);
        assertThat(s.q()[2]).isGreaterThanOrEqualTo(1.0);
        assertThat(s.converged(1e-4, 1e-4)).isFalse();
    }
}
