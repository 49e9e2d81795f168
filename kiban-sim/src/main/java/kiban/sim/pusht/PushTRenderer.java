package kiban.sim.pusht;

import java.util.ArrayDeque;
import kiban.sim.env.Image;
import kiban.sim.render.RenderVariation;

/**
 * Draws the scene as gym-pusht does on its 512 x 512 canvas (white ground, light-gray walls, the
 * episode's goal T in LightGreen, block T in a lightened LightSlateGray with a 2-unit
 * LightSlateGray outline per rectangle, agent RoyalBlue with a lighter inner disk) and resamples it
 * to the requested size the way {@code cv2.resize(INTER_LINEAR)} does: each output pixel blends
 * the four canvas pixels around its centre.
 *
 * <p>Only the block and the agent move within an episode, so the rest is drawn once per goal, size
 * and {@link RenderVariation} into a background kept between frames (the four canvas colours of every
 * pixel, and the blended picture); a frame copies the background and redraws only the pixels whose
 * canvas points may fall on the block or the agent, testing them in the block's own frame where the
 * T is two axis-aligned rectangles. Same pictures as drawing every pixel, at a few percent of the cost.
 */
final class PushTRenderer {

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
    private static final double INNER_RADIUS = 11;
    private static final int BACKGROUND = 0;
    private static final int FILL = 1;
    private static final int EXACT = 2;
    private static final int INSIDE = -1;
    private static final int BORDER = 0;
    private static final int OUTSIDE = 1;

    /** Backgrounds kept: the camera's and a video's size (evaluation draws both every step) for a goal or two. */
    private static final int KEPT = 4;

    private RenderVariation variation = RenderVariation.NONE;
    /** The backgrounds drawn for the current variation, most recently used first. */
    private final ArrayDeque<Background> backgrounds = new ArrayDeque<>();

    /** Draws the following frames as {@code v} says (a new episode's draw); the plain picture by default. */
    void vary(RenderVariation v) {
        if (!v.equals(variation)) {
            variation = v;
            backgrounds.clear();
        }
    }

    private Background background(PushTGoal goal, int height, int width) {
        for (Background b : backgrounds) {
            if (b.goal == goal && b.height == height && b.width == width) {
                if (b != backgrounds.peekFirst()) {
                    backgrounds.remove(b);
                    backgrounds.addFirst(b);
                }
                return b;
            }
        }
        Background b = new Background(goal, variation, height, width);
        if (backgrounds.size() == KEPT) {
            backgrounds.removeLast();
        }
        backgrounds.addFirst(b);
        return b;
    }

    Image render(PushTSim sim, PushTGoal goal, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
        }
        Background bg = background(goal, height, width);
        byte[] rgb = bg.rgb.clone();
        PushTSim.State s = sim.state();
        new Frame(bg, s).draw(rgb);
        return new Image(height, width, rgb);
    }

    /** What stays put for an episode: the canvas colours of the ground, walls and goal, and their picture. */
    private static final class Background {
        final PushTGoal goal;
        final int height;
        final int width;
        final CanvasResize grid;
        final RenderVariation.View view;
        final boolean plainView;
        /** How far in the world a pixel's canvas points may lie from its centre (with a margin for rounding). */
        final double footprint;
        /** Palette of the moving things as the variation shows them: edge, fill, agent, inner disk. */
        final int edge;
        final int fill;
        final int agent;
        final int inner;
        /** Canvas colour of point (2r + a, 2c + b), row-major over 2 height x 2 width. */
        final int[] colours;
        final byte[] rgb;

        Background(PushTGoal goal, RenderVariation v, int height, int width) {
            this.goal = goal;
            this.height = height;
            this.width = width;
            grid = new CanvasResize(height, width);
            view = v.view(PushTGeometry.WORLD, PushTGeometry.WORLD);
            plainView = v.plainView();
            footprint = Math.hypot(grid.reachX, grid.reachY) * Math.hypot(view.xx(), view.yx()) + 1e-6;
            edge = v.colour(BLOCK_EDGE, 3);
            fill = v.colour(BLOCK_FILL, 4);
            agent = v.colour(AGENT, 5);
            inner = v.colour(AGENT_INNER, 6);
            int white = v.colour(WHITE, 0);
            int wall = v.colour(WALL, 1);
            int green = v.colour(GOAL, 2);
            double[][] goalCorners = goal.corners();
            colours = new int[4 * height * width];
            for (int gr = 0; gr < 2 * height; gr++) {
                for (int gc = 0; gc < 2 * width; gc++) {
                    double cx = grid.cols[gc] + 0.5;
                    double cy = grid.rows[gr] + 0.5;
                    double x = view.x(cx, cy);
                    double y = view.y(cx, cy);
                    int colour = white;
                    if (inside(goalCorners[0], x, y) || inside(goalCorners[1], x, y)) {
                        colour = green;
                    } else if (!(x > 8 && x < 503 && y > 8 && y < 503) && nearWall(x, y)) {
                        colour = wall;
                    }
                    colours[gr * 2 * width + gc] = colour;
                }
            }
            rgb = new byte[height * width * 3];
            for (int r = 0; r < height; r++) {
                for (int c = 0; c < width; c++) {
                    int top = 2 * r * 2 * width + 2 * c;
                    int bottom = top + 2 * width;
                    grid.blend(rgb, r, c, colours[top], colours[top + 1], colours[bottom], colours[bottom + 1]);
                }
            }
        }

        private static boolean nearWall(double x, double y) {
            for (double[] w : WALLS) {
                if (segmentDistance(w[0], w[1], w[2], w[3], x, y) <= OUTLINE) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One instant's block and agent, drawn over the background. */
    private static final class Frame {
        private final Background bg;
        private final double ax;
        private final double ay;
        private final double bx;
        private final double by;
        private final double angle;
        private final double cos;
        private final double sin;

        Frame(Background bg, PushTSim.State s) {
            this.bg = bg;
            ax = s.agentX();
            ay = s.agentY();
            bx = s.blockX();
            by = s.blockY();
            angle = s.blockAngle();
            cos = Math.cos(angle);
            sin = Math.sin(s.blockAngle());
        }

        void draw(byte[] rgb) {
            double[][] block = PushTGeometry.corners(bx, by, angle);
            double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
            for (double[] rect : block) {
                for (int k = 0; k < rect.length; k += 2) {
                    box[0] = Math.min(box[0], rect[k]);
                    box[1] = Math.min(box[1], rect[k + 1]);
                    box[2] = Math.max(box[2], rect[k]);
                    box[3] = Math.max(box[3], rect[k + 1]);
                }
            }
            redraw(rgb, box[0] - OUTLINE, box[1] - OUTLINE, box[2] + OUTLINE, box[3] + OUTLINE);
            double radius = PushTGeometry.AGENT_RADIUS;
            redraw(rgb, ax - radius, ay - radius, ax + radius, ay + radius);
        }

        /** Recomputes the pixels with a canvas point that may fall in the world box [x0, x1] x [y0, y1]. */
        private void redraw(byte[] rgb, double x0, double y0, double x1, double y1) {
            double cx0 = x0;
            double cy0 = y0;
            double cx1 = x1;
            double cy1 = y1;
            if (!bg.plainView) {
                RenderVariation.View back = bg.view.inverse();
                double[] xs = {back.x(x0, y0), back.x(x1, y0), back.x(x0, y1), back.x(x1, y1)};
                double[] ys = {back.y(x0, y0), back.y(x1, y0), back.y(x0, y1), back.y(x1, y1)};
                cx0 = Math.min(Math.min(xs[0], xs[1]), Math.min(xs[2], xs[3]));
                cx1 = Math.max(Math.max(xs[0], xs[1]), Math.max(xs[2], xs[3]));
                cy0 = Math.min(Math.min(ys[0], ys[1]), Math.min(ys[2], ys[3]));
                cy1 = Math.max(Math.max(ys[0], ys[1]), Math.max(ys[2], ys[3]));
            }
            CanvasResize g = bg.grid;
            // Pixel c's canvas points lie within one canvas pixel of (c + 0.5) * sx; one pixel more of margin.
            int c0 = Math.max(0, (int) Math.floor((cx0 - 1) / g.sx - 0.5) - 1);
            int c1 = Math.min(g.width - 1, (int) Math.ceil((cx1 + 1) / g.sx - 0.5) + 1);
            int r0 = Math.max(0, (int) Math.floor((cy0 - 1) / g.sy - 0.5) - 1);
            int r1 = Math.min(g.height - 1, (int) Math.ceil((cy1 + 1) / g.sy - 0.5) + 1);
            int stride = 2 * g.width;
            for (int r = r0; r <= r1; r++) {
                double py = (r + 0.5) * g.sy;
                for (int c = c0; c <= c1; c++) {
                    double px = (c + 0.5) * g.sx;
                    int kind = bg.plainView ? classify(px, py) : classify(bg.view.x(px, py), bg.view.y(px, py));
                    if (kind == BACKGROUND) {
                        continue;
                    }
                    if (kind == FILL) {
                        g.blend(rgb, r, c, bg.fill, bg.fill, bg.fill, bg.fill);
                        continue;
                    }
                    int top = 2 * r * stride + 2 * c;
                    int bottom = top + stride;
                    g.blend(rgb, r, c,
                            colour(g.cols[2 * c], g.rows[2 * r], bg.colours[top]),
                            colour(g.cols[2 * c + 1], g.rows[2 * r], bg.colours[top + 1]),
                            colour(g.cols[2 * c], g.rows[2 * r + 1], bg.colours[bottom]),
                            colour(g.cols[2 * c + 1], g.rows[2 * r + 1], bg.colours[bottom + 1]));
                }
            }
        }

        /**
         * What the four canvas points of the pixel centred on world point (x, y) can show, judged
         * from the centre: the background only, the block's fill only, or anything (then each point
         * is tested). The points lie within the background's footprint of the centre.
         */
        private int classify(double x, double y) {
            double reach = bg.footprint;
            double dax = x - ax;
            double day = y - ay;
            double agentReach = PushTGeometry.AGENT_RADIUS + reach;
            if (dax * dax + day * day <= agentReach * agentReach) {
                return EXACT;
            }
            double dx = x - bx;
            double dy = y - by;
            double u = cos * dx + sin * dy;
            double v = -sin * dx + cos * dy;
            double clear = OUTLINE + reach;
            int bar = zone(PushTGeometry.RECTS[0], u, v, clear);
            int stem = zone(PushTGeometry.RECTS[1], u, v, clear);
            if (bar == OUTSIDE && stem == OUTSIDE) {
                return BACKGROUND;
            }
            return bar == BORDER || stem == BORDER ? EXACT : FILL;
        }

        /** Whether (u, v) lies deeper than {@code clear} inside the rectangle, farther than it outside, or in between. */
        private static int zone(double[] rect, double u, double v, double clear) {
            double ex = max(rect[0] - u, u - rect[2]);
            double ey = max(rect[1] - v, v - rect[3]);
            if (ex <= 0 && ey <= 0) {
                return max(ex, ey) < -clear ? INSIDE : BORDER;
            }
            double ox = max(0, ex);
            double oy = max(0, ey);
            return ox * ox + oy * oy > clear * clear ? OUTSIDE : BORDER;
        }

        /** The colour of canvas pixel (px, py): the agent's or the block's where they cover it, else the background's. */
        private int colour(int px, int py, int background) {
            double x = px + 0.5;
            double y = py + 0.5;
            if (!bg.plainView) {
                double vx = bg.view.x(x, y);
                y = bg.view.y(x, y);
                x = vx;
            }
            double dax = x - ax;
            double day = y - ay;
            double d2 = dax * dax + day * day;
            if (d2 <= INNER_RADIUS * INNER_RADIUS) {
                return bg.inner;
            }
            if (d2 <= PushTGeometry.AGENT_RADIUS * PushTGeometry.AGENT_RADIUS) {
                return bg.agent;
            }
            double dx = x - bx;
            double dy = y - by;
            double u = cos * dx + sin * dy;
            double v = -sin * dx + cos * dy;
            double[][] rects = PushTGeometry.RECTS;
            double[] bar = rects[0];
            double[] stem = rects[1];
            if (u < bar[0] - OUTLINE || u > bar[2] + OUTLINE || v < bar[1] - OUTLINE || v > stem[3] + OUTLINE) {
                return background;
            }
            if (nearOutline(bar, u, v) || nearOutline(stem, u, v)) {
                return bg.edge;
            }
            if (within(bar, u, v) || within(stem, u, v)) {
                return bg.fill;
            }
            return background;
        }

        /** Whether (u, v) lies within the outline's width of the rectangle's border. */
        private static boolean nearOutline(double[] rect, double u, double v) {
            double left = u - rect[0];
            double right = rect[2] - u;
            double low = v - rect[1];
            double high = rect[3] - v;
            if (left >= 0 && right >= 0 && low >= 0 && high >= 0) {
                return left <= OUTLINE || right <= OUTLINE || low <= OUTLINE || high <= OUTLINE;
            }
            double ex = max(0, max(-left, -right));
            double ey = max(0, max(-low, -high));
            return ex * ex + ey * ey <= OUTLINE * OUTLINE;
        }

        private static boolean within(double[] rect, double u, double v) {
            return u >= rect[0] && u <= rect[2] && v >= rect[1] && v <= rect[3];
        }
    }

    /** The larger of two numbers that are never NaN, without {@link Math#max}'s NaN and signed-zero cases (hot loop). */
    private static double max(double a, double b) {
        return a > b ? a : b;
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
