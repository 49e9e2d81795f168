package kiban.sim.arm;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.Image;

/**
 * Draws the scene off-screen from one of two perspective cameras: {@code front}, fixed in front of
 * the work area, and {@code wrist}, in the hand between the fingers looking along the tool, as
 * robot-learning setups mount one (robomimic's {@code eye_in_hand}). It shows the table, the target
 * zone, the cube (visible faces), the arm's DH skeleton as thick lines and the two fingers. Shapes
 * are painted far to near (painter's algorithm), which is exact enough for this scene.
 */
final class ArmRenderer {

    static final String FRONT = "front";
    static final String WRIST = "wrist";

    private static final double[] FRONT_EYE = {-1.2, -0.5, 0.75};
    private static final double[] FRONT_LOOK_AT = {-0.35, 0.0, 0.15};
    private static final double FRONT_FOV = Math.toRadians(60);
    /** The wrist camera sits this far behind the TCP along the tool, above the palm, so the fingers show. */
    private static final double WRIST_BACK = 0.12;
    /** Wide, so that from the travelling height it sees the cube before the hand is over it. */
    private static final double WRIST_FOV = Math.toRadians(80);
    /** Nothing nearer the eye than this is drawn: a point on the eye's plane has no picture. */
    private static final double NEAR = 0.01;
    private static final Color SKY = new Color(0xDCE6F0);
    private static final Color TABLE = new Color(0x8B6B4A);
    private static final Color ZONE = new Color(0x3CB44B);
    private static final Color CUBE = new Color(0xD03030);
    private static final Color LINK = new Color(0x5A6E82);
    private static final Color FINGER = new Color(0x202020);
    private static final double PALM = 0.05; // the fingers hang this far above the TCP

    private ArmRenderer() {}

    /** Where a picture is taken from: the eye, its right-handed axes and its horizontal field of view. */
    private record View(double[] eye, double[] right, double[] up, double[] forward, double fov, boolean wrist) {

        static View looking(double[] eye, double[] lookAt, double fov) {
            double[] forward = normalize(sub(lookAt, eye));
            double[] right = normalize(cross(forward, new double[] {0, 0, 1}));
            return new View(eye, right, cross(right, forward), forward, fov, false);
        }

        /** Along the tool (its z axis), the fingers' axis (its x) to the right. */
        static View wrist(double[] tcp) {
            double[] x = {tcp[0], tcp[4], tcp[8]};
            double[] z = {tcp[2], tcp[6], tcp[10]};
            double[] eye = {tcp[3] - WRIST_BACK * z[0], tcp[7] - WRIST_BACK * z[1], tcp[11] - WRIST_BACK * z[2]};
            return new View(eye, x, cross(x, z), z, WRIST_FOV, true);
        }

        double depth(double[] p) {
            return dot(sub(p, eye), forward);
        }
    }

    /** A shape to paint and how far from the camera it is. */
    private record Shape(double depth, Color color, double[][] points, boolean filled, double width) {}

    static Image render(PickPlaceEnv env, String camera, int height, int width) {
        if (height < 1 || width < 1) {
            throw new InvalidInputException("env " + env.spec().name() + " render", "height x width",
                    "positive sizes", height + "x" + width);
        }
        View view = switch (camera) {
            case FRONT -> View.looking(FRONT_EYE, FRONT_LOOK_AT, FRONT_FOV);
            case WRIST -> View.wrist(env.frames()[Ur5eKinematics.DOF]);
            default -> throw new InvalidInputException("env " + env.spec().name() + " render", "camera",
                    "one of [" + FRONT + ", " + WRIST + "]", camera);
        };
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(SKY);
            g.fillRect(0, 0, width, height);
            double focal = 0.5 * width / Math.tan(view.fov() / 2);
            paint(g, view, List.of(new Shape(0, TABLE, new double[][] {
                {-1.0, -0.75, 0}, {0.3, -0.75, 0}, {0.3, 0.75, 0}, {-1.0, 0.75, 0}}, true, 0)), focal, width, height);
            paint(g, view, List.of(zone(env.target())), focal, width, height);
            List<Shape> shapes = new ArrayList<>();
            cube(view, env.cube(), shapes);
            arm(view, env, shapes);
            shapes.sort(Comparator.comparingDouble(Shape::depth).reversed());
            paint(g, view, shapes, focal, width, height);
        } finally {
            g.dispose();
        }
        int[] argb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[height * width * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new Image(height, width, rgb);
    }

    private static Shape zone(double[] target) {
        int n = 24;
        double[][] pts = new double[n][];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            pts[i] = new double[] {target[0] + PickPlaceEnv.ZONE_RADIUS * Math.cos(a),
                target[1] + PickPlaceEnv.ZONE_RADIUS * Math.sin(a), 0.001};
        }
        return new Shape(0, ZONE, pts, true, 0);
    }

    private static void cube(View view, Cube cube, List<Shape> out) {
        double h = cube.size / 2;
        double c = Math.cos(cube.yaw);
        double s = Math.sin(cube.yaw);
        double[][] corner = new double[8][];
        for (int i = 0; i < 8; i++) {
            double lx = (i & 1) == 0 ? -h : h;
            double ly = (i & 2) == 0 ? -h : h;
            double lz = (i & 4) == 0 ? -h : h;
            corner[i] = new double[] {cube.pos[0] + c * lx - s * ly, cube.pos[1] + s * lx + c * ly, cube.pos[2] + lz};
        }
        int[][] faces = {{0, 1, 3, 2}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 3, 7, 6}, {0, 2, 6, 4}, {1, 3, 7, 5}};
        for (int[] f : faces) {
            double[][] pts = {corner[f[0]], corner[f[1]], corner[f[2]], corner[f[3]]};
            double[] centre = new double[3];
            for (double[] p : pts) {
                for (int k = 0; k < 3; k++) {
                    centre[k] += p[k] / 4;
                }
            }
            double[] normal = sub(centre, cube.pos);
            if (dot(normal, sub(centre, view.eye())) < 0) { // faces turned toward the camera only
                double shade = 0.6 + 0.4 * Math.abs(normal[2]) / h;
                Color col = new Color((int) (CUBE.getRed() * shade), (int) (CUBE.getGreen() * shade),
                        (int) (CUBE.getBlue() * shade));
                out.add(new Shape(view.depth(centre), col, pts, true, 0));
            }
        }
    }

    private static void arm(View view, PickPlaceEnv env, List<Shape> out) {
        double[][] f = env.frames();
        double[] tcp = f[Ur5eKinematics.DOF];
        double half = 0.5 * PickPlaceEnv.GRIPPER_STROKE * (1 - env.gripperPosition());
        for (int side = -1; side <= 1; side += 2) {
            double[] tip = {tcp[3] + side * half * tcp[0], tcp[7] + side * half * tcp[4], tcp[11] + side * half * tcp[8]};
            double[] root = {tip[0] - PALM * tcp[2], tip[1] - PALM * tcp[6], tip[2] - PALM * tcp[10]};
            segment(view, root, tip, FINGER, 0.015, out);
        }
        if (view.wrist()) {
            return; // the camera rides on the hand, its lens through the palm: the arm is behind it
        }
        List<double[]> chain = new ArrayList<>();
        chain.add(new double[] {0, 0, 0});
        for (int k = 0; k < Ur5eKinematics.DOF; k++) {
            chain.add(new double[] {f[k][3], f[k][7], f[k][11]});
        }
        for (int k = 0; k + 1 < chain.size(); k++) {
            segment(view, chain.get(k), chain.get(k + 1), LINK, 0.08, out);
        }
        double[] flange = chain.getLast();
        double[] palmCentre = {tcp[3] - PALM * tcp[2], tcp[7] - PALM * tcp[6], tcp[11] - PALM * tcp[10]};
        segment(view, flange, palmCentre, FINGER, 0.05, out);
    }

    /** A thick line from {@code a} to {@code b}, cut where it passes behind the near plane. */
    private static void segment(View view, double[] a, double[] b, Color color, double thickness, List<Shape> out) {
        double da = view.depth(a);
        double db = view.depth(b);
        if (da < NEAR && db < NEAR) {
            return;
        }
        if (da < NEAR || db < NEAR) {
            double t = (NEAR - da) / (db - da);
            double[] cut = {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])};
            if (da < NEAR) {
                a = cut;
            } else {
                b = cut;
            }
        }
        double[] mid = {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2};
        out.add(new Shape(view.depth(mid), color, new double[][] {a, b}, false, thickness));
    }

    private static void paint(Graphics2D g, View view, List<Shape> shapes, double focal, int width, int height) {
        for (Shape s : shapes) {
            int n = s.points().length;
            int[] xs = new int[n];
            int[] ys = new int[n];
            boolean behind = false;
            for (int i = 0; i < n; i++) {
                double[] v = sub(s.points()[i], view.eye());
                double z = dot(v, view.forward());
                behind |= z < NEAR;
                z = Math.max(NEAR, z);
                xs[i] = (int) Math.round(width / 2.0 + focal * dot(v, view.right()) / z);
                ys[i] = (int) Math.round(height / 2.0 - focal * dot(v, view.up()) / z);
            }
            if (behind && s.filled()) {
                continue; // a face reaching behind the eye has no sound picture; none does in this scene's poses
            }
            g.setColor(s.color());
            if (s.filled()) {
                g.fillPolygon(xs, ys, n);
            } else {
                float px = (float) Math.max(1, focal * s.width() / Math.max(NEAR, s.depth()));
                g.setStroke(new BasicStroke(px, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.drawLine(xs[0], ys[0], xs[1], ys[1]);
            }
        }
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] normalize(double[] a) {
        double n = Math.sqrt(dot(a, a));
        return new double[] {a[0] / n, a[1] / n, a[2] / n};
    }
}
