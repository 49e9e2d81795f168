package kiban.sim.pusht;

/** Exact area of the intersection of two convex polygons, by Sutherland-Hodgman clipping. */
final class ConvexClip {

    private ConvexClip() {}

    /**
     * Area of {@code a} intersected with {@code b}; each polygon is flattened (x0, y0, x1, y1, ...)
     * and convex, in either winding.
     */
    static double intersectionArea(double[] a, double[] b) {
        // Quick reject on bounding boxes: most pairs far from the goal do not overlap.
        if (max(a, 0) <= min(b, 0) || max(b, 0) <= min(a, 0) || max(a, 1) <= min(b, 1) || max(b, 1) <= min(a, 1)) {
            return 0;
        }
        double orient = Math.signum(signedArea(b, b.length / 2));
        double[] poly = a;
        int n = a.length / 2;
        double[] buf = new double[2 * (a.length / 2 + b.length / 2) + 4];
        double[] cur = new double[buf.length];
        System.arraycopy(poly, 0, cur, 0, poly.length);
        int m = b.length / 2;
        for (int e = 0; e < m && n > 0; e++) {
            double ex = b[2 * e];
            double ey = b[2 * e + 1];
            double fx = b[2 * ((e + 1) % m)];
            double fy = b[2 * ((e + 1) % m) + 1];
            int out = 0;
            for (int i = 0; i < n; i++) {
                double px = cur[2 * i];
                double py = cur[2 * i + 1];
                double qx = cur[2 * ((i + 1) % n)];
                double qy = cur[2 * ((i + 1) % n) + 1];
                double sp = orient * ((fx - ex) * (py - ey) - (fy - ey) * (px - ex));
                double sq = orient * ((fx - ex) * (qy - ey) - (fy - ey) * (qx - ex));
                if (sp >= 0) {
                    buf[out++] = px;
                    buf[out++] = py;
                }
                if ((sp >= 0) != (sq >= 0)) {
                    double t = sp / (sp - sq);
                    buf[out++] = px + t * (qx - px);
                    buf[out++] = py + t * (qy - py);
                }
            }
            double[] tmp = cur;
            cur = buf;
            buf = tmp;
            n = out / 2;
        }
        return n < 3 ? 0 : Math.abs(signedArea(cur, n));
    }

    private static double signedArea(double[] p, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
        }
        return s / 2;
    }

    private static double max(double[] p, int off) {
        double v = Double.NEGATIVE_INFINITY;
        for (int i = off; i < p.length; i += 2) {
            v = Math.max(v, p[i]);
        }
        return v;
    }

    private static double min(double[] p, int off) {
        double v = Double.POSITIVE_INFINITY;
        for (int i = off; i < p.length; i += 2) {
            v = Math.min(v, p[i]);
        }
        return v;
    }
}
