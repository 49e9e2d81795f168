package kiban.sim.highway.traffic;

/**
 * Rectangle-rectangle collision by the separating axis theorem, as highway-env's
 * {@code utils.are_polygons_intersecting}: whether two boxes overlap now, whether they will
 * overlap after moving by their displacements, and the translation that would separate them.
 */
public final class Collision {

    /** The outcome of one test; the translation applies to the first box and is 0 unless {@code willIntersect}. */
    public record Contact(boolean intersecting, boolean willIntersect, double translationX, double translationY) {}

    private Collision() {}

    /** The corners of a box of {@code length x width} centred at (x, y), in highway-env's order. */
    public static double[][] corners(double x, double y, double heading, double length, double width) {
        double c = Math.cos(heading);
        double s = Math.sin(heading);
        double[][] local = {{-length / 2, -width / 2}, {-length / 2, width / 2}, {length / 2, width / 2}, {length / 2, -width / 2}};
        double[][] out = new double[4][2];
        for (int i = 0; i < 4; i++) {
            out[i][0] = c * local[i][0] - s * local[i][1] + x;
            out[i][1] = s * local[i][0] + c * local[i][1] + y;
        }
        return out;
    }

    /** SAT on two convex quadrilaterals with displacements {@code (dax, day)} and {@code (dbx, dby)}. */
    public static Contact test(double[][] a, double[][] b, double dax, double day, double dbx, double dby) {
        boolean intersecting = true;
        boolean willIntersect = true;
        double minDistance = Double.POSITIVE_INFINITY;
        double axisX = 0;
        double axisY = 0;
        double[] ca = mean(a);
        double[] cb = mean(b);
        outer:
        for (double[][] polygon : new double[][][] {a, b}) {
            for (int i = 0; i < 4; i++) {
                double[] p1 = polygon[i];
                double[] p2 = polygon[(i + 1) % 4];
                double nx = -p2[1] + p1[1];
                double ny = p2[0] - p1[0];
                double norm = Math.sqrt(nx * nx + ny * ny);
                nx /= norm;
                ny /= norm;
                double minA = Double.POSITIVE_INFINITY;
                double maxA = Double.NEGATIVE_INFINITY;
                double minB = Double.POSITIVE_INFINITY;
                double maxB = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 4; k++) {
                    double pa = a[k][0] * nx + a[k][1] * ny;
                    minA = Math.min(minA, pa);
                    maxA = Math.max(maxA, pa);
                    double pb = b[k][0] * nx + b[k][1] * ny;
                    minB = Math.min(minB, pb);
                    maxB = Math.max(maxB, pb);
                }
                if (intervalDistance(minA, maxA, minB, maxB) > 0) {
                    intersecting = false;
                }
                double velocityProjection = nx * (dax - dbx) + ny * (day - dby);
                if (velocityProjection < 0) {
                    minA += velocityProjection;
                } else {
                    maxA += velocityProjection;
                }
                double distance = intervalDistance(minA, maxA, minB, maxB);
                if (distance > 0) {
                    willIntersect = false;
                }
                if (!intersecting && !willIntersect) {
                    break outer;
                }
                if (Math.abs(distance) < minDistance) {
                    minDistance = Math.abs(distance);
                    boolean towardsA = (ca[0] - cb[0]) * nx + (ca[1] - cb[1]) * ny > 0;
                    axisX = towardsA ? nx : -nx;
                    axisY = towardsA ? ny : -ny;
                }
            }
        }
        return willIntersect
                ? new Contact(intersecting, true, minDistance * axisX, minDistance * axisY)
                : new Contact(intersecting, false, 0, 0);
    }

    /** Negative where the intervals overlap. */
    static double intervalDistance(double minA, double maxA, double minB, double maxB) {
        return minA < minB ? minB - maxA : minA - maxB;
    }

    private static double[] mean(double[][] p) {
        return new double[] {(p[0][0] + p[1][0] + p[2][0] + p[3][0]) / 4, (p[0][1] + p[1][1] + p[2][1] + p[3][1]) / 4};
    }
}
