package kiban.sim.arm;

/**
 * Forward kinematics, geometric Jacobian and damped-least-squares inverse kinematics of the UR5e
 * from its published standard DH table (Universal Robots, "Parameters for calculations of
 * kinematics and dynamics"): {@code A_i = RotZ(q_i) TransZ(d_i) TransX(a_i) RotX(alpha_i)}.
 * Poses are 4x4 homogeneous matrices stored row-major in a {@code double[16]}; the base frame sits
 * on the table top, z up.
 */
public final class Ur5eKinematics {

    public static final int DOF = 6;
    public static final double[] D = {0.1625, 0, 0, 0.1333, 0.0997, 0.0996};
    public static final double[] A = {0, -0.425, -0.3922, 0, 0, 0};
    public static final double[] ALPHA = {Math.PI / 2, 0, 0, Math.PI / 2, -Math.PI / 2, 0};

    /** Flange to tool centre point (between the fingertips of a Robotiq 2F-85), along the flange z axis. */
    public static final double TOOL_LENGTH = 0.15;

    private static final double[] COS_ALPHA = new double[DOF];
    private static final double[] SIN_ALPHA = new double[DOF];

    static {
        for (int i = 0; i < DOF; i++) {
            // cos(pi/2) is 6e-17, not 0; snapping keeps the published sanity poses exact
            COS_ALPHA[i] = Math.rint(Math.cos(ALPHA[i]));
            SIN_ALPHA[i] = Math.rint(Math.sin(ALPHA[i]));
        }
    }

    private Ur5eKinematics() {}

    /**
     * The frames 1..6 of the chain (the flange is frame 6) and the TCP: {@code out[k]} for k in
     * 0..5 is the pose of frame k+1 in the base frame, {@code out[6]} the TCP pose.
     */
    public static void frames(double[] q, double[][] out) {
        double[] t = identity();
        for (int i = 0; i < DOF; i++) {
            t = multiply(t, dh(i, q[i]));
            System.arraycopy(t, 0, out[i], 0, 16);
        }
        double[] f = out[DOF - 1];
        double[] tcp = out[DOF];
        System.arraycopy(f, 0, tcp, 0, 16);
        tcp[3] = f[3] + TOOL_LENGTH * f[2];
        tcp[7] = f[7] + TOOL_LENGTH * f[6];
        tcp[11] = f[11] + TOOL_LENGTH * f[10];
    }

    /** Storage for {@link #frames}. */
    public static double[][] newFrames() {
        return new double[DOF + 1][16];
    }

    /** The flange pose {@code T_0^6}. */
    public static double[] flange(double[] q) {
        double[][] f = newFrames();
        frames(q, f);
        return f[DOF - 1];
    }

    /** The TCP pose: the flange moved {@link #TOOL_LENGTH} along its z axis. */
    public static double[] tcp(double[] q) {
        double[][] f = newFrames();
        frames(q, f);
        return f[DOF];
    }

    /** The translation of a pose. */
    public static double[] position(double[] pose) {
        return new double[] {pose[3], pose[7], pose[11]};
    }

    /**
     * The 6x{@value #DOF} geometric Jacobian of the TCP (rows: linear velocity, then angular
     * velocity in the base frame), row-major, from frames computed by {@link #frames}.
     */
    public static void jacobian(double[][] frames, double[] out) {
        double[] tcp = frames[DOF];
        for (int i = 0; i < DOF; i++) {
            // joint i turns about the z axis of frame i (frame 0 is the base)
            double zx = i == 0 ? 0 : frames[i - 1][2];
            double zy = i == 0 ? 0 : frames[i - 1][6];
            double zz = i == 0 ? 1 : frames[i - 1][10];
            double px = tcp[3] - (i == 0 ? 0 : frames[i - 1][3]);
            double py = tcp[7] - (i == 0 ? 0 : frames[i - 1][7]);
            double pz = tcp[11] - (i == 0 ? 0 : frames[i - 1][11]);
            out[i] = zy * pz - zz * py;
            out[DOF + i] = zz * px - zx * pz;
            out[2 * DOF + i] = zx * py - zy * px;
            out[3 * DOF + i] = zx;
            out[4 * DOF + i] = zy;
            out[5 * DOF + i] = zz;
        }
    }

    static double[] dh(int i, double theta) {
        double ct = Math.cos(theta);
        double st = Math.sin(theta);
        double ca = COS_ALPHA[i];
        double sa = SIN_ALPHA[i];
        return new double[] {
            ct, -st * ca, st * sa, A[i] * ct,
            st, ct * ca, -ct * sa, A[i] * st,
            0, sa, ca, D[i],
            0, 0, 0, 1};
    }

    static double[] identity() {
        return new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    }

    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[16];
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 4; k++) {
                double s = 0;
                for (int j = 0; j < 4; j++) {
                    s += a[r * 4 + j] * b[j * 4 + k];
                }
                c[r * 4 + k] = s;
            }
        }
        return c;
    }
}
