package kiban.policy.data;

import java.util.List;
import java.util.SplittableRandom;
import kiban.core.policy.ImageSpec;

/**
 * How training frames are augmented, as Diffusion Policy's image variant trains: a random
 * {@code cropHeight x cropWidth} crop of each frame (84 of 96 on PushT), and at inference and
 * validation the centre crop of the same size, so the network always reads crop-sized images; and
 * colour jitter of strength {@code jitter}: brightness, contrast and saturation each scaled by a
 * factor drawn from {@code [1 - jitter, 1 + jitter]} and the hue turned by up to
 * {@code jitter * 90} degrees. {@link #NONE} (crop 0: the whole frame; jitter 0) is today's
 * behaviour: frames as recorded.
 *
 * <p>One window's observation steps share a draw, so the motion between them is the scene's, not
 * the augmentation's; each camera draws its own.
 */
public record ImageAugmentation(int cropHeight, int cropWidth, double jitter) {

    public static final ImageAugmentation NONE = new ImageAugmentation(0, 0, 0);
    /** The most jitter accepted: factors stay positive and hue turns stay under half a turn. */
    public static final double MAX_JITTER = 0.5;

    public ImageAugmentation {
        if (cropHeight < 0 || cropWidth < 0 || (cropHeight == 0) != (cropWidth == 0)) {
            throw new IllegalArgumentException("a crop needs a positive height and width (or both 0 for none), got "
                    + cropHeight + "x" + cropWidth);
        }
        if (!(jitter >= 0 && jitter <= MAX_JITTER)) {
            throw new IllegalArgumentException("colour jitter must lie in [0, " + MAX_JITTER + "], got " + jitter);
        }
    }

    public boolean crops() {
        return cropHeight > 0;
    }

    public boolean isNone() {
        return !crops() && jitter == 0;
    }

    /** The image the network reads from a frame of {@code recorded}: the crop's size, or the frame's without a crop. */
    public ImageSpec input(ImageSpec recorded) {
        if (!crops()) {
            return recorded;
        }
        if (cropHeight > recorded.height() || cropWidth > recorded.width()) {
            throw new IllegalArgumentException("a crop of " + cropHeight + "x" + cropWidth + " does not fit " + recorded.name()
                    + "'s " + recorded.height() + "x" + recorded.width() + " frames");
        }
        return new ImageSpec(recorded.name(), cropHeight, cropWidth, recorded.channels());
    }

    /** {@link #input} of each camera. */
    public List<ImageSpec> inputs(List<ImageSpec> recorded) {
        return recorded.stream().map(this::input).toList();
    }

    /** One draw of the augmentation for a frame of {@code recorded}: where the crop starts and the colour factors. */
    public record Draw(int top, int left, float brightness, float contrast, float saturation, float hueCos, float hueSin) {}

    /** The centre crop without colour changes: inference and validation. */
    public Draw centre(ImageSpec recorded) {
        ImageSpec in = input(recorded);
        return new Draw((recorded.height() - in.height()) / 2, (recorded.width() - in.width()) / 2, 1, 1, 1, 1, 0);
    }

    /** A random crop and colour change drawn from {@code random}. */
    public Draw draw(ImageSpec recorded, SplittableRandom random) {
        ImageSpec in = input(recorded);
        int top = random.nextInt(recorded.height() - in.height() + 1);
        int left = random.nextInt(recorded.width() - in.width() + 1);
        if (jitter == 0) {
            return new Draw(top, left, 1, 1, 1, 1, 0);
        }
        float b = factor(random);
        float c = factor(random);
        float s = factor(random);
        double hue = (random.nextDouble() * 2 - 1) * jitter * Math.PI / 2;
        return new Draw(top, left, b, c, s, (float) Math.cos(hue), (float) Math.sin(hue));
    }

    private float factor(SplittableRandom random) {
        return (float) (1 + (random.nextDouble() * 2 - 1) * jitter);
    }

    /** Byte values as [0, 1] floats, exactly as {@link ImagePixels} computes them. */
    private static final float[] UNIT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            UNIT[v] = v / 255f;
        }
    }

    /**
     * Writes frame {@code hwc} (laid out as {@code recorded}) cropped and coloured by {@code d} into
     * {@code out} at {@code offset} as CHW values in [0, 1], {@link #input}-sized: as
     * {@link ImagePixels#toChw} does for the whole frame.
     *
     * <p>Brightness, contrast (around the crop's mean grey), saturation and a hue turn (both in
     * YIQ's chroma plane) are all affine in the pixel, so they are applied as one 3x3 matrix and
     * offset in the same pass as the crop, then clamped to [0, 1].
     */
    public void apply(byte[] hwc, ImageSpec recorded, Draw d, float[] out, int offset) {
        ImageSpec in = input(recorded);
        int c = recorded.channels();
        if (hwc.length != recorded.bytes()) {
            throw new IllegalArgumentException("image " + recorded.name() + " needs " + recorded.bytes() + " bytes, got " + hwc.length);
        }
        int h = in.height();
        int w = in.width();
        int plane = h * w;
        boolean identity = d.brightness() == 1 && d.contrast() == 1 && d.saturation() == 1 && d.hueSin() == 0;
        if (c != 3 || identity) {
            for (int y = 0; y < h; y++) {
                int src = ((d.top() + y) * recorded.width() + d.left()) * c;
                int dst = offset + y * w;
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        out[dst + x + k * plane] = UNIT[hwc[src + x * c + k] & 0xff];
                    }
                }
            }
            return;
        }
        float[] m = colourMatrix(hwc, recorded, d, h, w);
        for (int y = 0; y < h; y++) {
            int src = ((d.top() + y) * recorded.width() + d.left()) * 3;
            int dst = offset + y * w;
            for (int x = 0; x < w; x++) {
                int p = src + 3 * x;
                float r = UNIT[hwc[p] & 0xff];
                float g = UNIT[hwc[p + 1] & 0xff];
                float b = UNIT[hwc[p + 2] & 0xff];
                out[dst + x] = clamp(m[0] * r + m[1] * g + m[2] * b + m[9]);
                out[dst + x + plane] = clamp(m[3] * r + m[4] * g + m[5] * b + m[9]);
                out[dst + x + 2 * plane] = clamp(m[6] * r + m[7] * g + m[8] * b + m[9]);
            }
        }
    }

    /**
     * The colour change as {@code out = A x + t (1, 1, 1)}: {@code [A row-major, t]}. Brightness
     * scales by b; contrast c pulls toward the mean grey g of the brightened crop
     * ({@code c b x + (1 - c) g}); then YIQ's chroma is turned and scaled, which leaves greys grey,
     * so the offset passes through it unchanged.
     */
    private static float[] colourMatrix(byte[] hwc, ImageSpec recorded, Draw d, int h, int w) {
        long[] sums = new long[3];
        for (int y = 0; y < h; y++) {
            int src = ((d.top() + y) * recorded.width() + d.left()) * 3;
            for (int x = 0; x < 3 * w; x += 3) {
                sums[0] += hwc[src + x] & 0xff;
                sums[1] += hwc[src + x + 1] & 0xff;
                sums[2] += hwc[src + x + 2] & 0xff;
            }
        }
        double n = 255.0 * h * w;
        double grey = d.brightness() * (0.299 * sums[0] / n + 0.587 * sums[1] / n + 0.114 * sums[2] / n);
        double[][] toYiq = {{0.299, 0.587, 0.114}, {0.596, -0.274, -0.322}, {0.211, -0.523, 0.312}};
        double[][] fromYiq = inverse(toYiq);
        double sc = d.saturation() * d.hueCos();
        double ss = d.saturation() * d.hueSin();
        double[][] turn = {{1, 0, 0}, {0, sc, -ss}, {0, ss, sc}};
        double[][] k = times(fromYiq, times(turn, toYiq));
        double scale = d.contrast() * d.brightness();
        float[] m = new float[10];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                m[3 * i + j] = (float) (scale * k[i][j]);
            }
        }
        m[9] = (float) ((1 - d.contrast()) * grey);
        return m;
    }

    /** The inverse of a 3x3 matrix, by cofactors (YIQ's: exact, so greys map back to greys). */
    private static double[][] inverse(double[][] a) {
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int r0 = (j + 1) % 3;
                int r1 = (j + 2) % 3;
                int c0 = (i + 1) % 3;
                int c1 = (i + 2) % 3;
                out[i][j] = a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0];
            }
        }
        double det = a[0][0] * out[0][0] + a[0][1] * out[1][0] + a[0][2] * out[2][0];
        for (double[] row : out) {
            for (int j = 0; j < 3; j++) {
                row[j] /= det;
            }
        }
        return out;
    }

    private static double[][] times(double[][] a, double[][] b) {
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    out[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return out;
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
