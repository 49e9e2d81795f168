package kiban.sim.pusht;

import kiban.sim.env.Image;

/**
 * The point-by-point renderer that {@link PushTRenderer} replaced, kept as the reference the fast
 * one is checked against. Draws the scene as gym-pusht does on its 512 x 512 canvas (white ground, light-gray walls, the
 * episode's goal T in LightGreen, block T in a lightened LightSlateGray with a 2-unit
 * LightSlateGray outline per rectangle, agent RoyalBlue with a lighter inner disk) and resamples it
 * to the requested size the way {@code cv2.resize(INTER_LINEAR)} does: each output pixel blends
 * the four canvas pixels around its centre. Canvas pixels are evaluated on demand, so a 96 x 96
 * frame costs about 37k point tests.
 */
final class PushTReferenceRenderer {

    static final int WHITE = 0xFFFFFF;
    static final int WALL = 0xD3D3D3;
    static final int GOAL = 0x90EE90;
    static final int BLOCK_EDGE = 0x778899;
    /** pymunk_override.light_color: each channel times 1.2, capped at 255, truncated. */
    static final int BLOCK_FILL = 0x8EA3B7;
    static final int AGENT = 0x4169E1;
    static final int AGENT_INNER = 0x4E7EFF;
    private static final double OUTLINE = 2;
    private static final double[][] WALLS = {{5, 506, 5, 5}, {5, 5, 506, 5}, {506, 5, 506, 506}, {5, 506, 506, 506}};

    Image render(PushTSim sim, PushTGoal goal, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        Scene scene = new Scene(sim, goal);
        byte[] rgb = new byte[height * width * 3];
        double sy = PushTGeometry.WORLD / height;
        double sx = PushTGeometry.WORLD / width;
        int max = (int) PushTGeometry.WORLD - 1;
        for (int r = 0; r < height; r++) {
            double fy = Math.max(0, (r + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, max);
            int y1 = Math.min(y0 + 1, max);
            double wy = fy - (int) fy;
            for (int c = 0; c < width; c++) {
                double fx = Math.max(0, (c + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, max);
                int x1 = Math.min(x0 + 1, max);
                double wx = fx - (int) fx;
                int p00 = scene.colour(x0, y0);
                int p01 = scene.colour(x1, y0);
                int p10 = scene.colour(x0, y1);
                int p11 = scene.colour(x1, y1);
                int i = (r * width + c) * 3;
                for (int ch = 0; ch < 3; ch++) {
                    int shift = 16 - 8 * ch;
                    double top = ((p00 >> shift) & 0xff) * (1 - wx) + ((p01 >> shift) & 0xff) * wx;
                    double bottom = ((p10 >> shift) & 0xff) * (1 - wx) + ((p11 >> shift) & 0xff) * wx;
                    rgb[i + ch] = (byte) (int) Math.round(top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new Image(height, width, rgb);
    }

    /** The scene frozen at one instant; answers the canvas colour of a pixel. */
    private static final class Scene {
        private final double[][] goal;
        private final double[] goalBox;
        private final double[][] block;
        private final double ax;
        private final double ay;
        private final double[] blockBox;

        Scene(PushTSim sim, PushTGoal goal) {
            this.goal = goal.corners();
            goalBox = box(this.goal, 0);
            PushTSim.State s = sim.state();
            block = PushTGeometry.corners(s.blockX(), s.blockY(), s.blockAngle());
            ax = s.agentX();
            ay = s.agentY();
            blockBox = box(block, OUTLINE);
        }

        int colour(int px, int py) {
            double x = px + 0.5;
            double y = py + 0.5;
            double dax = x - ax;
            double day = y - ay;
            double d2 = dax * dax + day * day;
            if (d2 <= 11 * 11) {
                return AGENT_INNER;
            }
            if (d2 <= 15 * 15) {
                return AGENT;
            }
            if (x >= blockBox[0] && x <= blockBox[2] && y >= blockBox[1] && y <= blockBox[3]) {
                for (double[] rect : block) {
                    if (nearOutline(rect, x, y)) {
                        return BLOCK_EDGE;
                    }
                }
                for (double[] rect : block) {
                    if (inside(rect, x, y)) {
                        return BLOCK_FILL;
                    }
                }
            }
            if (x >= goalBox[0] && x <= goalBox[2] && y >= goalBox[1] && y <= goalBox[3]) {
                for (double[] rect : goal) {
                    if (inside(rect, x, y)) {
                        return GOAL;
                    }
                }
            }
            if (x > 8 && x < 503 && y > 8 && y < 503) {
                return WHITE;
            }
            for (double[] w : WALLS) {
                if (segmentDistance(w[0], w[1], w[2], w[3], x, y) <= OUTLINE) {
                    return WALL;
                }
            }
            return WHITE;
        }

        private static boolean nearOutline(double[] p, double x, double y) {
            for (int k = 0; k < 4; k++) {
                int j = (k + 1) % 4;
                if (segmentDistance(p[2 * k], p[2 * k + 1], p[2 * j], p[2 * j + 1], x, y) <= OUTLINE) {
                    return true;
                }
            }
            return false;
        }

        private static boolean inside(double[] p, double x, double y) {
            int sign = 0;
            for (int k = 0; k < 4; k++) {
                int j = (k + 1) % 4;
                double cross = (p[2 * j] - p[2 * k]) * (y - p[2 * k + 1]) - (p[2 * j + 1] - p[2 * k + 1]) * (x - p[2 * k]);
                int s = cross > 0 ? 1 : cross < 0 ? -1 : 0;
                if (s != 0) {
                    if (sign != 0 && s != sign) {
                        return false;
                    }
                    sign = s;
                }
            }
            return true;
        }

        private static double[] box(double[][] polys, double pad) {
            double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (double[] p : polys) {
                for (int i = 0; i < p.length; i += 2) {
                    b[0] = Math.min(b[0], p[i] - pad);
                    b[1] = Math.min(b[1], p[i + 1] - pad);
                    b[2] = Math.max(b[2], p[i] + pad);
                    b[3] = Math.max(b[3], p[i + 1] + pad);
                }
            }
            return b;
        }
    }

    static double segmentDistance(double x0, double y0, double x1, double y1, double x, double y) {
        double dx = x1 - x0;
        double dy = y1 - y0;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
        double ex = x - (x0 + t * dx);
        double ey = y - (y0 + t * dy);
        return Math.sqrt(ex * ex + ey * ey);
    }
}
