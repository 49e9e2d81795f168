package kiban.sim.arm;

/**
 * Damped-least-squares inverse kinematics of the UR5e TCP:
 * {@code dq = J^T (J J^T + lambda^2 I)^-1 e}, where {@code e} stacks the position error and the
 * orientation error {@code 0.5 * sum_k (r_k x d_k)} of the rotation columns. Damping keeps steps
 * bounded near singularities (a stretched arm, aligned wrist axes) at the cost of slower
 * convergence there. Not thread-safe: it reuses scratch arrays.
 */
public final class InverseKinematics {

    /** Default damping, in the units of the error (m and rad). */
    public static final double DEFAULT_DAMPING = 0.03;
    /** The largest change of one joint in one iteration, so a far target does not fold the arm. */
    public static final double MAX_JOINT_STEP = 0.25;

    private static final int N = Ur5eKinematics.DOF;

    private final double damping;
    private final double[] low;
    private final double[] high;
    private final double[][] frames = Ur5eKinematics.newFrames();
    private final double[] jac = new double[6 * N];
    private final double[] jjt = new double[36];
    private final double[] err = new double[6];
    private final double[] y = new double[6];

    /** Solves within the joint limits {@code low..high}. */
    public InverseKinematics(double damping, double[] low, double[] high) {
        if (!(damping > 0) || low.length != N || high.length != N) {
            throw new IllegalArgumentException("damping must be positive and limits 6 long, got " + damping);
        }
        this.damping = damping;
        this.low = low.clone();
        this.high = high.clone();
    }

    /** The result of a solve: the joint angles and the remaining position and orientation errors. */
    public record Solution(double[] q, double positionError, double orientationError, int iterations) {

        public boolean converged(double positionTolerance, double orientationTolerance) {
            return positionError <= positionTolerance && orientationError <= orientationTolerance;
        }
    }

    /**
     * Iterates from {@code start} toward the TCP pose {@code target} (a 4x4 row-major pose) until the
     * position error is below {@code tolerance} metres and the orientation error below
     * {@code tolerance} radians, or {@code maxIterations} have run.
     */
    public Solution solve(double[] start, double[] target, int maxIterations, double tolerance) {
        double[] q = start.clone();
        int it = 0;
        while (true) {
            Ur5eKinematics.frames(q, frames);
            error(frames[N], target, err);
            double pe = Math.sqrt(err[0] * err[0] + err[1] * err[1] + err[2] * err[2]);
            double oe = Math.sqrt(err[3] * err[3] + err[4] * err[4] + err[5] * err[5]);
            if ((pe <= tolerance && oe <= tolerance) || it >= maxIterations) {
                return new Solution(q, pe, oe, it);
            }
            step(q);
            it++;
        }
    }

    /** One damped step from {@code q} (changed in place) toward reducing the current {@link #err}. */
    private void step(double[] q) {
        Ur5eKinematics.jacobian(frames, jac);
        double lambda2 = damping * damping;
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c <= r; c++) {
                double s = 0;
                for (int k = 0; k < N; k++) {
                    s += jac[r * N + k] * jac[c * N + k];
                }
                jjt[r * 6 + c] = s + (r == c ? lambda2 : 0);
                jjt[c * 6 + r] = jjt[r * 6 + c];
            }
        }
        choleskySolve(jjt, err, y);
        double scale = 1;
        double[] dq = new double[N];
        for (int k = 0; k < N; k++) {
            double s = 0;
            for (int r = 0; r < 6; r++) {
                s += jac[r * N + k] * y[r];
            }
            dq[k] = s;
            scale = Math.min(scale, MAX_JOINT_STEP / Math.max(Math.abs(s), 1e-12));
        }
        for (int k = 0; k < N; k++) {
            q[k] = Math.max(low[k], Math.min(high[k], q[k] + scale * dq[k]));
        }
    }

    /** Position error then orientation error of {@code current} toward {@code target}, into {@code e}. */
    static void error(double[] current, double[] target, double[] e) {
        e[0] = target[3] - current[3];
        e[1] = target[7] - current[7];
        e[2] = target[11] - current[11];
        e[3] = 0;
        e[4] = 0;
        e[5] = 0;
        for (int c = 0; c < 3; c++) {
            double rx = current[c];
            double ry = current[4 + c];
            double rz = current[8 + c];
            double dx = target[c];
            double dy = target[4 + c];
            double dz = target[8 + c];
            e[3] += 0.5 * (ry * dz - rz * dy);
            e[4] += 0.5 * (rz * dx - rx * dz);
            e[5] += 0.5 * (rx * dy - ry * dx);
        }
    }

    /** Solves {@code m x = b} for a symmetric positive definite 6x6 {@code m} (overwritten). */
    private static void choleskySolve(double[] m, double[] b, double[] x) {
        for (int j = 0; j < 6; j++) {
            double s = m[j * 6 + j];
            for (int k = 0; k < j; k++) {
                s -= m[j * 6 + k] * m[j * 6 + k];
            }
            double d = Math.sqrt(s);
            m[j * 6 + j] = d;
            for (int i = j + 1; i < 6; i++) {
                double t = m[i * 6 + j];
                for (int k = 0; k < j; k++) {
                    t -= m[i * 6 + k] * m[j * 6 + k];
                }
                m[i * 6 + j] = t / d;
            }
        }
        for (int i = 0; i < 6; i++) {
            double t = b[i];
            for (int k = 0; k < i; k++) {
                t -= m[i * 6 + k] * x[k];
            }
            x[i] = t / m[i * 6 + i];
        }
        for (int i = 5; i >= 0; i--) {
            double t = x[i];
            for (int k = i + 1; k < 6; k++) {
                t -= m[k * 6 + i] * x[k];
            }
            x[i] = t / m[i * 6 + i];
        }
    }

    /**
     * A TCP pose at {@code (x, y, z)} with the tool axis pointing straight down and the jaw closing
     * axis (the TCP x axis) at {@code yaw} from the base x axis.
     */
    public static double[] topDownPose(double x, double y, double z, double yaw) {
        double c = Math.cos(yaw);
        double s = Math.sin(yaw);
        // columns: x = (c, s, 0), z = (0, 0, -1), y = z cross x = (s, -c, 0)
        return new double[] {c, s, 0, x, s, -c, 0, y, 0, 0, -1, z, 0, 0, 0, 1};
    }
}
