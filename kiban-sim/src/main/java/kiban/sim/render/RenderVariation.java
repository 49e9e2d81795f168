package kiban.sim.render;

import java.util.SplittableRandom;
import kiban.sim.env.Image;
import kiban.sim.env.RenderRandomization;

/**
 * One episode's draw of {@link RenderRandomization}: how its view sits (turn, zoom and shift about
 * the picture's centre), a gain per colour channel (brightness times tint) and the seed of the
 * per-object colour shifts. A renderer that draws its own shapes varies them itself
 * ({@link #colour}, {@link #view}); for any other, {@link #apply} varies the finished picture.
 *
 * @param angle radians the view turns by
 * @param scale how much the view zooms in (above 1) or out
 * @param shiftX the view's move, as a fraction of its width
 * @param shiftY the view's move, as a fraction of its height
 * @param gains the red, green and blue gains
 * @param colourSpread the largest per-object colour shift, as a fraction of 255
 * @param colourSeed the seed of the per-object colour shifts
 */
public record RenderVariation(double angle, double scale, double shiftX, double shiftY, Gains gains,
        double colourSpread, long colourSeed) {

    /** The plain picture. */
    public static final RenderVariation NONE = new RenderVariation(0, 1, 0, 0, new Gains(1, 1, 1), 0, 0);

    /** Salt so the render stream differs from the env's own streams drawn from the same seed. */
    private static final long SALT = 0xD1B54A32D192ED03L;

    /** Channel gains of the lighting. */
    public record Gains(double red, double green, double blue) {}

    /**
     * The variation of the episode reset with {@code seed}: the same seed gives the same picture,
     * and drawing it takes nothing from the env's other random streams.
     */
    public static RenderVariation draw(RenderRandomization r, long seed) {
        if (r.isNone()) {
            return NONE;
        }
        SplittableRandom random = new SplittableRandom(seed ^ SALT);
        double angle = Math.toRadians(r.rotationDegrees()) * symmetric(random);
        double scale = 1 + r.scaleSpread() * symmetric(random);
        double shiftX = r.shiftFraction() * symmetric(random);
        double shiftY = r.shiftFraction() * symmetric(random);
        double brightness = 1 + r.brightnessSpread() * symmetric(random);
        Gains gains = new Gains(brightness * (1 + r.tintSpread() * symmetric(random)),
                brightness * (1 + r.tintSpread() * symmetric(random)), brightness * (1 + r.tintSpread() * symmetric(random)));
        return new RenderVariation(angle, scale, shiftX, shiftY, gains, r.colourSpread(), random.nextLong());
    }

    private static double symmetric(SplittableRandom random) {
        return 2 * random.nextDouble() - 1;
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /** Whether the view is the plain one (colours may still vary). */
    public boolean plainView() {
        return angle == 0 && scale == 1 && shiftX == 0 && shiftY == 0;
    }

    /**
     * The colour {@code rgb} (0xRRGGBB) of the object numbered {@code object} as this episode
     * shows it: shifted by the object's own draw, then lit.
     */
    public int colour(int rgb, int object) {
        double[] shift = shift(object);
        return channel((((rgb >> 16) & 0xff) + shift[0]) * gains.red()) << 16
                | channel((((rgb >> 8) & 0xff) + shift[1]) * gains.green()) << 8
                | channel(((rgb & 0xff) + shift[2]) * gains.blue());
    }

    /** The object's colour shift per channel, in 0..255 units. */
    private double[] shift(int object) {
        SplittableRandom random = new SplittableRandom(colourSeed + 0x9E3779B97F4A7C15L * (object + 1));
        return new double[] {255 * colourSpread * symmetric(random), 255 * colourSpread * symmetric(random),
            255 * colourSpread * symmetric(random)};
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /**
     * Where the point {@code (x, y)} of a picture {@code width x height} looks in the plain picture's
     * coordinates: the view turns and zooms about the centre, then moves.
     */
    public View view(double width, double height) {
        double c = Math.cos(angle) / scale;
        double s = Math.sin(angle) / scale;
        double cx = width / 2;
        double cy = height / 2;
        double tx = cx - shiftX * width;
        double ty = cy - shiftY * height;
        // plain = centre + R(angle) / scale * (p - centre) - shift
        return new View(c, -s, tx - c * cx + s * cy, s, c, ty - s * cx - c * cy);
    }

    /** An affine map of picture points: {@code x' = xx*x + xy*y + x0}, {@code y' = yx*x + yy*y + y0}. */
    public record View(double xx, double xy, double x0, double yx, double yy, double y0) {

        public double x(double x, double y) {
            return xx * x + xy * y + x0;
        }

        public double y(double x, double y) {
            return yx * x + yy * y + y0;
        }

        /** The map back. */
        public View inverse() {
            double det = xx * yy - xy * yx;
            double ixx = yy / det;
            double ixy = -xy / det;
            double iyx = -yx / det;
            double iyy = xx / det;
            return new View(ixx, ixy, -(ixx * x0 + ixy * y0), iyx, iyy, -(iyx * x0 + iyy * y0));
        }
    }

    /**
     * The plain picture {@code image} as this episode shows it, for renderers that draw through AWT:
     * resampled through the view (bilinear; points outside the picture take its nearest edge) and
     * lit by the gains. Telling objects apart needs the renderer's help, so the colour shift here is
     * one draw for the whole picture.
     */
    public Image apply(Image image) {
        if (isNone()) {
            return image;
        }
        int h = image.height();
        int w = image.width();
        byte[] in = image.rgb();
        byte[] out = new byte[in.length];
        View v = view(w, h);
        int[] lut = new int[3 * 256];
        double[] g = {gains.red(), gains.green(), gains.blue()};
        double[] shift = shift(0);
        for (int ch = 0; ch < 3; ch++) {
            for (int k = 0; k < 256; k++) {
                lut[ch * 256 + k] = channel((k + shift[ch]) * g[ch]);
            }
        }
        if (plainView()) {
            for (int i = 0; i < in.length; i += 3) {
                out[i] = (byte) lut[in[i] & 0xff];
                out[i + 1] = (byte) lut[256 + (in[i + 1] & 0xff)];
                out[i + 2] = (byte) lut[512 + (in[i + 2] & 0xff)];
            }
            return new Image(h, w, out);
        }
        // Bilinear in fixed point (16.16 positions, 8-bit weights); the source point moves by a constant step along a row.
        int stepX = (int) Math.round(v.xx() * 65536);
        int stepY = (int) Math.round(v.yx() * 65536);
        int maxX = (w - 1) << 16;
        int maxY = (h - 1) << 16;
        int o = 0;
        for (int r = 0; r < h; r++) {
            int fx = (int) Math.round((v.x(0.5, r + 0.5) - 0.5) * 65536);
            int fy = (int) Math.round((v.y(0.5, r + 0.5) - 0.5) * 65536);
            for (int c = 0; c < w; c++, fx += stepX, fy += stepY, o += 3) {
                int x = fx < 0 ? 0 : fx > maxX ? maxX : fx;
                int y = fy < 0 ? 0 : fy > maxY ? maxY : fy;
                int x0 = x >> 16;
                int y0 = y >> 16;
                int ax = (x >> 8) & 0xff;
                int ay = (y >> 8) & 0xff;
                int p00 = (y0 * w + x0) * 3;
                int dx = x0 + 1 < w ? 3 : 0;
                int dy = y0 + 1 < h ? 3 * w : 0;
                for (int ch = 0; ch < 3; ch++) {
                    int p = p00 + ch;
                    int top = (in[p] & 0xff) * (256 - ax) + (in[p + dx] & 0xff) * ax;
                    int bottom = (in[p + dy] & 0xff) * (256 - ax) + (in[p + dy + dx] & 0xff) * ax;
                    out[o + ch] = (byte) lut[(ch << 8) + ((top * (256 - ay) + bottom * ay + (1 << 15)) >> 16)];
                }
            }
        }
        return new Image(h, w, out);
    }
}
