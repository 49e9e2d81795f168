package kiban.sim.arm;

import kiban.core.error.InvalidInputException;
import kiban.sim.env.EnvSpec;

/**
 * End-effector-delta control for {@value PickPlaceProvider#NAME}: turns a TCP motion
 * {@code (dx, dy, dz, rx, ry, rz, gripper)} (a translation in m and a rotation vector in rad, both
 * in the base frame, then the gripper command) into the env's joint-target action by damped
 * least squares IK from the arm's measured joints. A helper rather than a second registered env,
 * so the env list holds one name per task; wrap any policy's output with it.
 */
public final class EeDeltaController {

    /** The largest translation per control step, m (0.5 m/s at 20 Hz, half the UR5e's typical TCP speed). */
    public static final double MAX_TRANSLATION = 0.025;
    /** The largest rotation per control step, rad. */
    public static final double MAX_ROTATION = 0.15;
    public static final int ACTION_DIM = 7;

    private static final int N = Ur5eKinematics.DOF;
    private static final int ITERATIONS = 20;

    private final InverseKinematics ik;
    private long clipped;

    /** Solves within the joint limits {@code low..high} (the embodiment's joint_target limits). */
    public EeDeltaController(double[] low, double[] high) {
        this.ik = new InverseKinematics(InverseKinematics.DEFAULT_DAMPING, low, high);
    }

    /** A controller for the UR5e's published joint limits. */
    public static EeDeltaController forSpec(EnvSpec spec) {
        var joint = spec.embodiment().actionFeature("joint_target").orElseThrow();
        return new EeDeltaController(joint.lowArray(), joint.highArray());
    }

    /**
     * The joint-target action ({@code joint_target[6], gripper}) that moves the TCP of the arm at
     * {@code jointPos} by {@code eeAction}. Translations and rotations beyond the per-step maxima
     * are scaled down to them and counted in {@link #clipped()}.
     */
    public double[] toJointAction(double[] jointPos, double[] eeAction) {
        validate(jointPos, N, "joint_pos");
        validate(eeAction, ACTION_DIM, "ee_action");
        double[] d = {eeAction[0], eeAction[1], eeAction[2]};
        double[] r = {eeAction[3], eeAction[4], eeAction[5]};
        limit(d, MAX_TRANSLATION);
        limit(r, MAX_ROTATION);
        double[] pose = Ur5eKinematics.tcp(jointPos);
        double[] rot = rotation(r);
        double[] target = new double[16];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                target[i * 4 + j] = rot[i * 3] * pose[j] + rot[i * 3 + 1] * pose[4 + j] + rot[i * 3 + 2] * pose[8 + j];
            }
            target[i * 4 + 3] = pose[i * 4 + 3] + d[i];
        }
        target[15] = 1;
        double[] q = ik.solve(jointPos, target, ITERATIONS, 1e-7).q();
        double[] action = new double[N + 1];
        System.arraycopy(q, 0, action, 0, N);
        action[N] = eeAction[6];
        return action;
    }

    /** Translations and rotations scaled down since this controller was made. */
    public long clipped() {
        return clipped;
    }

    private void limit(double[] v, double max) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (n > max) {
            clipped++;
            for (int k = 0; k < 3; k++) {
                v[k] *= max / n;
            }
        }
    }

    /** Rodrigues' formula: the rotation matrix (row-major 3x3) of rotation vector {@code r}. */
    static double[] rotation(double[] r) {
        double angle = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
        if (angle < 1e-12) {
            return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
        }
        double x = r[0] / angle;
        double y = r[1] / angle;
        double z = r[2] / angle;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double t = 1 - c;
        return new double[] {
            t * x * x + c, t * x * y - s * z, t * x * z + s * y,
            t * x * y + s * z, t * y * y + c, t * y * z - s * x,
            t * x * z - s * y, t * y * z + s * x, t * z * z + c};
    }

    private static void validate(double[] v, int length, String field) {
        if (v == null || v.length != length) {
            throw new InvalidInputException("ee-delta controller", field, length + " numbers",
                    v == null ? "null" : v.length + " numbers");
        }
        for (int i = 0; i < length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new InvalidInputException("ee-delta controller", field + "[" + i + "]", "a finite number",
                        String.valueOf(v[i]));
            }
        }
    }
}
