package kiban.runtime.shield;

import java.util.Arrays;

/**
 * Per-element motion limits on the command stream: position range, rate, acceleration and jerk,
 * as finite differences of consecutive commands {@code dt} apart. Position and rate are hard
 * limits. Acceleration is hard too: the rate may only grow as far as the element can still be
 * braked to a standstill, at the acceleration limit, before its position limit, so the two never
 * conflict. Jerk is applied first and the harder limits win where it conflicts with them
 * (a jerk-limited stop before a position limit would need a trajectory planner).
 */
final class MotionLimiter {

    /** Relative change below which a clamp is rounding, not an intervention. */
    private static final double EPS = 1e-12;

    private final double[] low;
    private final double[] high;
    private final double[] maxStep;
    private final double[] maxAccStep;
    private final double[] maxJerkStep;
    private final double[] p1;
    private final double[] p2;
    private final double[] p3;
    private int history;
    /** Whether {@link #last()} is a command sent, not only the machine's set point it was seeded with. */
    private boolean sent;

    /**
     * Limits per element; {@code Double.POSITIVE_INFINITY} where a limit does not apply.
     * {@code maxRate}, {@code maxAcceleration} and {@code maxJerk} are per second (squared, cubed).
     */
    MotionLimiter(double[] low, double[] high, double[] maxRate, double[] maxAcceleration, double[] maxJerk, double dt) {
        int n = low.length;
        this.low = low.clone();
        this.high = high.clone();
        this.maxStep = new double[n];
        this.maxAccStep = new double[n];
        this.maxJerkStep = new double[n];
        for (int i = 0; i < n; i++) {
            maxStep[i] = maxRate[i] * dt;
            maxAccStep[i] = maxAcceleration[i] * dt * dt;
            maxJerkStep[i] = maxJerk[i] * dt * dt * dt;
        }
        p1 = new double[n];
        p2 = new double[n];
        p3 = new double[n];
    }

    int dim() {
        return low.length;
    }

    /** Commands seen so far (0..3): how many of the difference limits apply. */
    int history() {
        return history;
    }

    /** The last command accepted, or the set point seeded (valid when {@link #history()} > 0). */
    double[] last() {
        return p1;
    }

    /** Whether a command was accepted since the last reset: only then is there a command to hold. */
    boolean hasSent() {
        return sent;
    }

    void reset() {
        history = 0;
        sent = false;
    }

    /**
     * Starts from a known command (the machine's current set point, at rest) so the very first
     * command is rate-limited too; nothing counts as sent yet.
     */
    void seed(double[] command) {
        atRest(command);
        sent = false;
    }

    private void atRest(double[] command) {
        System.arraycopy(command, 0, p1, 0, p1.length);
        System.arraycopy(command, 0, p2, 0, p1.length);
        System.arraycopy(command, 0, p3, 0, p1.length);
        history = 3;
    }

    /**
     * Writes the limited {@code target} into {@code out} and returns the bits of the
     * {@link Reason}s that changed it. Does not accept it; call {@link #accept} with what was sent.
     */
    long limit(double[] target, double[] out) {
        long bits = 0;
        for (int i = 0; i < low.length; i++) {
            double v = clamp(target[i], low[i], high[i]);
            if (changed(v, target[i])) {
                bits |= Reason.POSITION_LIMIT.bit();
            }
            if (history >= 3 && maxJerkStep[i] < Double.POSITIVE_INFINITY) {
                double vel = p1[i] - p2[i];
                double acc = vel - (p2[i] - p3[i]);
                double w = clamp(v, p1[i] + vel + acc - maxJerkStep[i], p1[i] + vel + acc + maxJerkStep[i]);
                bits |= changed(w, v) ? Reason.JERK_LIMIT.bit() : 0;
                v = w;
            }
            if (history >= 2 && maxAccStep[i] < Double.POSITIVE_INFINITY) {
                double vel = p1[i] - p2[i];
                double a = maxAccStep[i];
                // approach the target at the speed from which it can still brake to rest on it, so it never overshoots
                double d = v - p1[i];
                v = p1[i] + Math.signum(d) * Math.min(Math.abs(d), brakingStep(Math.abs(d), a));
                double lo = Math.max(vel - a, -brakingStep(p1[i] - low[i], a));
                double hi = Math.min(vel + a, brakingStep(high[i] - p1[i], a));
                double w = lo <= hi ? clamp(v, p1[i] + lo, p1[i] + hi) : p1[i] + vel - Math.signum(vel) * a;
                bits |= changed(w, v) ? Reason.ACCELERATION_LIMIT.bit() : 0;
                v = w;
            }
            if (history >= 1 && maxStep[i] < Double.POSITIVE_INFINITY) {
                double w = clamp(v, p1[i] - maxStep[i], p1[i] + maxStep[i]);
                bits |= changed(w, v) ? Reason.RATE_LIMIT.bit() : 0;
                v = w;
            }
            out[i] = clamp(v, low[i], high[i]);
        }
        return bits;
    }

    /** Records {@code command} as sent, shifting the history. */
    void accept(double[] command) {
        sent = true;
        if (history == 0) {
            // with no earlier command, take the machine to be at rest on the first one
            atRest(command);
            return;
        }
        System.arraycopy(p2, 0, p3, 0, p3.length);
        System.arraycopy(p1, 0, p2, 0, p2.length);
        System.arraycopy(command, 0, p1, 0, p1.length);
        history = Math.min(3, history + 1);
    }

    /**
     * The largest step (distance per cycle) after which braking by {@code a} per cycle squared
     * still stops within {@code room}: with n = the whole braking cycles, the step v solves
     * {@code (n+1) v - a n (n+1) / 2 = room}.
     */
    static double brakingStep(double room, double a) {
        if (!(room > 0)) {
            return 0;
        }
        double n = Math.floor((Math.sqrt(1 + 8 * room / a) - 1) / 2);
        return (room + a * n * (n + 1) / 2) / (n + 1);
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : v > hi ? hi : v;
    }

    private static boolean changed(double after, double before) {
        return Math.abs(after - before) > EPS * Math.max(1, Math.abs(before));
    }

    @Override
    public String toString() {
        return "MotionLimiter" + Arrays.toString(low) + ".." + Arrays.toString(high);
    }
}
