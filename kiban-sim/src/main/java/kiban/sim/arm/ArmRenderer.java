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
 * Draws the scene off-screen from a fixed perspective camera in front of the work area: table,
 * target zone, cube (visible faces), the arm's DH skeleton as thick lines and the two fingers.
 * Shapes are painted far to near (painter's algorithm), which is exact enough for this scene.
 */
final class ArmRenderer {

    private static final double[] EYE = {-1.2, -0.5, 0.75};
    private static final double[] LOOK_AT = {-0.35, 0.0, 0.15};
    private static final double FOV = Math.toRadians(60);
    private static final Color SKY = new Color(0xDCE6F0);
    private static final Color TABLE = new Color(0x8B6B4A);
    private static final Color ZONE = new Color(0x3CB44B);
    private static final Color CUBE = new Color(0xD03030);
    private static final Color LINK = new Color(0x5A6E82);
    private static final Color FINGER = new Color(0x202020);

    private static final double[] RIGHT;
    private static final double[] UP;
    private static final double[] FORWARD;

    static {
        FORWARD = normalize(sub(LOOK_AT, EYE));
        RIGHT = normalize(cross(FORWARD, new double[] {0, 0, 1}));
        UP = cross(RIGHT, FORWARD);
    }

    private ArmRenderer() {}

    /** A shape to paint and how far from the camera it is. */
    private record Shape(double depth, Color color, double[][] points, boolean filled, double width) {}

    static Image render(PickPlaceEnv env, int height, int width) {
        if (height < 1 || width < 1) {
            throw new InvalidInputException("env " + env.spec().name() + " render", "height x width",
                    "positive sizes", height + "x" + width);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(SKY);
            g.fillRect(0, 0, width, height);
            double focal = 0.5 * width / Math.tan(FOV / 2);
            paint(g, List.of(new Shape(0, TABLE, new double[][] {
                {-1.0, -0.75, 0}, {0.3, -0.75, 0}, {0.3, 0.75, 0}, {-1.0, 0.75, 0}}, true, 0)), focal, width, height);
            paint(g, List.of(zone(env.target())), focal, width, height);
            List<Shape> shapes = new ArrayList<>();
            cube(env.cube(), shapes);
            arm(env, shapes);
            shapes.sort(Comparator.comparingDouble(Shape::depth).reversed());
            paint(g, shapes, focal, width, height);
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

    private static void cube(Cube cube, List<Shape> out) {
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
            if (dot(normal, sub(centre, EYE)) < 0) { // faces turned toward the camera only
                double shade = 0.6 + 0.4 * Math.abs(normal[2]) / h;
                Color col = new Color((int) (CUBE.getRed() * shade), (int) (CUBE.getGreen() * shade),
                        (int) (CUBE.getBlue() * shade));
                out.add(new Shape(depth(centre), col, pts, true, 0));
            }
        }
    }

    private static void arm(PickPlaceEnv env, List<Shape> out) {
        double[][] f = env.frames();
        List<double[]> chain = new ArrayList<>();
        chain.add(new double[] {0, 0, 0});
        for (int k = 0; k < Ur5eKinematics.DOF; k++) {
            chain.add(new double[] {f[k][3], f[k][7], f[k][11]});
        }
        for (int k = 0; k + 1 < chain.size(); k++) {
            segment(chain.get(k), chain.get(k + 1), LINK, 0.08, out);
        }
        double[] tcp = f[Ur5eKinematics.DOF];
        double half = 0.5 * PickPlaceEnv.GRIPPER_STROKE * (1 - env.gripperPosition());
        double palm = 0.05; // fingers hang this far above the TCP
        for (int side = -1; side <= 1; side += 2) {
            double[] tip = {tcp[3] + side * half * tcp[0], tcp[7] + side * half * tcp[4], tcp[11] + side * half * tcp[8]};
            double[] root = {tip[0] - palm * tcp[2], tip[1] - palm * tcp[6], tip[2] - palm * tcp[10]};
            segment(root, tip, FINGER, 0.015, out);
        }
        double[] flange = chain.getLast();
        double[] palmCentre = {tcp[3] - palm * tcp[2], tcp[7] - palm * tcp[6], tcp[11] - palm * tcp[10]};
        segment(flange, palmCentre, FINGER, 0.05, out);
    }

    private static void segment(double[] a, double[] b, Color color, double thickness, List<Shape> out) {
        double[] mid = {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2};
        out.add(new Shape(depth(mid), color, new double[][] {a, b}, false, thickness));
    }

    private static void paint(Graphics2D g, List<Shape> shapes, double focal, int width, int height) {
        for (Shape s : shapes) {
            int n = s.points().length;
            int[] xs = new int[n];
            int[] ys = new int[n];
            for (int i = 0; i < n; i++) {
                double[] v = sub(s.points()[i], EYE);
                double z = Math.max(1e-3, dot(v, FORWARD));
                xs[i] = (int) Math.round(width / 2.0 + focal * dot(v, RIGHT) / z);
                ys[i] = (int) Math.round(height / 2.0 - focal * dot(v, UP) / z);
            }
            g.setColor(s.color());
            if (s.filled()) {
                g.fillPolygon(xs, ys, n);
            } else {
                float px = (float) Math.max(1, focal * s.width() / Math.max(1e-3, s.depth()));
                g.setStroke(new BasicStroke(px, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.drawLine(xs[0], ys[0], xs[1], ys[1]);
            }
        }
    }

    private static double depth(double[] p) {
        return dot(sub(p, EYE), FORWARD);
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
