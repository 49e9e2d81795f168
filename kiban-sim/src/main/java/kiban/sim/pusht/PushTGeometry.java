package kiban.sim.pusht;

/**
 * The fixed geometry of the PushT task (gym-pusht {@code add_tee(scale=30, length=4)}) and the exact
 * coverage measure. The T is two rectangles in the block's local frame: the bar
 * {@code x in [-60,60], y in [0,30]} and the stem {@code x in [-15,15], y in [30,120]}; the local
 * origin is the middle of the bar's {@code y = 0} edge, which is the position the state reports.
 */
public final class PushTGeometry {

    /** Side of the square workspace, in workspace units (pixels of the 512 x 512 canvas). */
    public static final double WORLD = 512;
    public static final double AGENT_RADIUS = 15;
    /** gym-pusht's goal pose (x, y, angle) of the T's local origin, the default task's ({@link PushTGoal#CENTRE}). */
    public static final double GOAL_X = 256;
    public static final double GOAL_Y = 256;
    public static final double GOAL_ANGLE = Math.PI / 4;
    /** Coverage above which an episode succeeds (strictly greater). */
    public static final double SUCCESS_THRESHOLD = 0.95;
    /** Area of one T: 120 x 30 + 30 x 90. */
    public static final double T_AREA = 6300;

    /** The T's two rectangles as {xmin, ymin, xmax, ymax} in the local frame: bar, then stem. */
    static final double[][] RECTS = {{-60, 0, 60, 30}, {-15, 30, 15, 120}};

    /** Centre of gravity used by gym-pusht: the plain (not area-weighted) mean of the two centroids. */
    public static final double COG_X = 0;
    public static final double COG_Y = 45;

    private PushTGeometry() {}

    /**
     * Corners of the T's rectangles in world coordinates for pose (x, y, angle): 2 rectangles x 4
     * corners x (x, y), each rectangle counter-clockwise in the y-down frame as drawn.
     */
    public static double[][] corners(double x, double y, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double[][] out = new double[2][8];
        for (int r = 0; r < 2; r++) {
            double[] b = RECTS[r];
            double[] lx = {b[0], b[2], b[2], b[0]};
            double[] ly = {b[1], b[1], b[3], b[3]};
            for (int k = 0; k < 4; k++) {
                out[r][2 * k] = x + c * lx[k] - s * ly[k];
                out[r][2 * k + 1] = y + s * lx[k] + c * ly[k];
            }
        }
        return out;
    }

    private static final double[][] GOAL_CORNERS = corners(GOAL_X, GOAL_Y, GOAL_ANGLE);

    /** Corners of gym-pusht's goal T, as {@link #corners}. */
    public static double[][] goalCorners() {
        return new double[][] {GOAL_CORNERS[0].clone(), GOAL_CORNERS[1].clone()};
    }

    /**
     * area(gym-pusht's goal T intersected with the T at this pose) / area(goal T). Both T's are unions of two
     * rectangles that only share an edge, so the intersection area is the sum of the four pairwise
     * convex intersections, each found exactly by Sutherland-Hodgman clipping.
     */
    public static double coverage(double x, double y, double angle) {
        return coverage(GOAL_CORNERS, x, y, angle);
    }

    /** As {@link #coverage(double, double, double)}, of the goal T with {@code goalCorners}. */
    static double coverage(double[][] goalCorners, double x, double y, double angle) {
        double[][] block = corners(x, y, angle);
        double area = 0;
        for (double[] g : goalCorners) {
            for (double[] b : block) {
                area += ConvexClip.intersectionArea(g, b);
            }
        }
        return Math.min(1.0, area / T_AREA);
    }

    /** The task reward: clip(coverage / 0.95, 0, 1). */
    public static double reward(double coverage) {
        return Math.max(0, Math.min(1, coverage / SUCCESS_THRESHOLD));
    }
}
