package kiban.sim.pusht;

/**
 * How a picture of {@code height x width} samples gym-pusht's 512 x 512 canvas as
 * {@code cv2.resize(INTER_LINEAR)} does: the two canvas columns and rows around each output
 * pixel's centre, the blend weights, and the blend itself.
 */
final class CanvasResize {

    final int height;
    final int width;
    /** Canvas column of each output column's left and right points: {@code cols[2c], cols[2c + 1]}. */
    final int[] cols;
    final double[] wx;
    final int[] rows;
    final double[] wy;
    final double sx;
    final double sy;
    /** The farthest any pixel's canvas point lies from the pixel's centre, per axis, in canvas pixels. */
    final double reachX;
    final double reachY;

    CanvasResize(int height, int width) {
        this.height = height;
        this.width = width;
        sx = PushTGeometry.WORLD / width;
        sy = PushTGeometry.WORLD / height;
        cols = new int[2 * width];
        wx = new double[width];
        rows = new int[2 * height];
        wy = new double[height];
        reachX = axis(sx, cols, wx);
        reachY = axis(sy, rows, wy);
    }

    /** Fills the canvas points and weights along one axis; returns the farthest a point lies from its pixel's centre. */
    private static double axis(double step, int[] at, double[] weight) {
        int max = (int) PushTGeometry.WORLD - 1;
        double reach = 0;
        for (int i = 0; i < weight.length; i++) {
            double f = Math.max(0, (i + 0.5) * step - 0.5);
            int p0 = Math.min((int) f, max);
            at[2 * i] = p0;
            at[2 * i + 1] = Math.min(p0 + 1, max);
            weight[i] = f - (int) f;
            double centre = (i + 0.5) * step;
            reach = Math.max(reach, Math.max(Math.abs(p0 + 0.5 - centre), Math.abs(at[2 * i + 1] + 0.5 - centre)));
        }
        return reach;
    }

    /** Writes the blend of the four canvas colours of pixel (r, c) into {@code rgb}. */
    void blend(byte[] rgb, int r, int c, int p00, int p01, int p10, int p11) {
        int i = (r * width + c) * 3;
        if (p00 == p01 && p00 == p10 && p00 == p11) {
            rgb[i] = (byte) (p00 >> 16);
            rgb[i + 1] = (byte) (p00 >> 8);
            rgb[i + 2] = (byte) p00;
            return;
        }
        double x = wx[c];
        double y = wy[r];
        for (int ch = 0; ch < 3; ch++) {
            int shift = 16 - 8 * ch;
            double top = ((p00 >> shift) & 0xff) * (1 - x) + ((p01 >> shift) & 0xff) * x;
            double bottom = ((p10 >> shift) & 0xff) * (1 - x) + ((p11 >> shift) & 0xff) * x;
            rgb[i + ch] = (byte) (int) Math.round(top * (1 - y) + bottom * y);
        }
    }
}
