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

    /**
     * Writes frame {@code hwc} (laid out as {@code recorded}) cropped and coloured by {@code d} into
     * {@code out} at {@code offset} as CHW values in [0, 1], {@link #input}-sized: as
     * {@link ImagePixels#toChw} does for the whole frame.
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
        for (int y = 0; y < h; y++) {
            int src = ((d.top() + y) * recorded.width() + d.left()) * c;
            int dst = offset + y * w;
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    out[dst + x + k * plane] = (hwc[src + x * c + k] & 0xff) / 255f;
                }
            }
        }
        if (c == 3 && !(d.brightness() == 1 && d.contrast() == 1 && d.saturation() == 1 && d.hueSin() == 0)) {
            colour(out, offset, plane, d);
        }
    }

    /** Brightness, contrast (around the mean grey), saturation (toward grey) and a hue turn in YIQ, clamped to [0, 1]. */
    private static void colour(float[] out, int offset, int plane, Draw d) {
        int r0 = offset;
        int g0 = offset + plane;
        int b0 = offset + 2 * plane;
        double greySum = 0;
        for (int p = 0; p < plane; p++) {
            greySum += 0.299f * out[r0 + p] + 0.587f * out[g0 + p] + 0.114f * out[b0 + p];
        }
        float mean = (float) (greySum / plane) * d.brightness();
        for (int p = 0; p < plane; p++) {
            float r = out[r0 + p] * d.brightness();
            float g = out[g0 + p] * d.brightness();
            float b = out[b0 + p] * d.brightness();
            r = mean + (r - mean) * d.contrast();
            g = mean + (g - mean) * d.contrast();
            b = mean + (b - mean) * d.contrast();
            // YIQ: luma stays, the chroma plane is scaled (saturation) and turned (hue).
            float y = 0.299f * r + 0.587f * g + 0.114f * b;
            float i = 0.596f * r - 0.274f * g - 0.322f * b;
            float q = 0.211f * r - 0.523f * g + 0.312f * b;
            float i2 = d.saturation() * (d.hueCos() * i - d.hueSin() * q);
            float q2 = d.saturation() * (d.hueSin() * i + d.hueCos() * q);
            out[r0 + p] = clamp(y + 0.956f * i2 + 0.621f * q2);
            out[g0 + p] = clamp(y - 0.272f * i2 - 0.647f * q2);
            out[b0 + p] = clamp(y - 1.106f * i2 + 1.703f * q2);
        }
    }

    private static float clamp(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
