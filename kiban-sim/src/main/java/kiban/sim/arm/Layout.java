package kiban.sim.arm;

import java.util.SplittableRandom;

/**
 * The randomised start of an episode: where the cube lies, how it is turned, where the target
 * zone is and the cube-table friction.
 */
record Layout(double cubeX, double cubeY, double cubeYaw, double targetX, double targetY, double friction) {

    /** The area of the table the cube and the zone are drawn from, in front of the arm (base frame, m). */
    static final double X_MIN = -0.65;
    static final double X_MAX = -0.35;
    static final double Y_MIN = -0.3;
    static final double Y_MAX = 0.3;
    /** The least distance between the cube's start and the zone centre, so no episode starts solved. */
    static final double MIN_SEPARATION = 0.15;
    /** Cube on a wooden table top. */
    static final double DEFAULT_FRICTION = 0.5;

    /** Draws a layout; the friction is scaled by {@code frictionSpread} as in {@link kiban.sim.env.Randomization}. */
    static Layout draw(SplittableRandom random, double frictionSpread) {
        double cx = uniform(random, X_MIN, X_MAX);
        double cy = uniform(random, Y_MIN, Y_MAX);
        double yaw = uniform(random, -Math.PI / 4, Math.PI / 4);
        double tx;
        double ty;
        // rejection sampling: most draws pass, and every draw comes from the seed's stream, so it stays reproducible
        do {
            tx = uniform(random, X_MIN, X_MAX);
            ty = uniform(random, Y_MIN, Y_MAX);
        } while (Math.hypot(tx - cx, ty - cy) < MIN_SEPARATION);
        double spread = frictionSpread == 0 ? 1 : 1 + frictionSpread * (2 * random.nextDouble() - 1);
        return new Layout(cx, cy, yaw, tx, ty, DEFAULT_FRICTION * spread);
    }

    private static double uniform(SplittableRandom random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
