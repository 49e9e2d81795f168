package kiban.data.video;

import kiban.core.error.InvalidInputException;

/** One video frame: {@code height x width} RGB pixels, row-major, 3 bytes per pixel (HWC). */
public record RgbFrame(int height, int width, byte[] rgb) {

    public RgbFrame {
        if (height <= 0 || width <= 0) {
            throw new InvalidInputException("frame", "height/width", "positive sizes", height + "x" + width);
        }
        if (rgb == null || rgb.length != height * width * 3) {
            throw new InvalidInputException("frame", "rgb", height * width * 3 + " bytes (" + height + "x" + width + "x3)",
                    rgb == null ? "null" : rgb.length + " bytes");
        }
    }

    /** Mean absolute difference per channel value (0..255) between two frames of the same size. */
    public double meanAbsError(RgbFrame other) {
        if (other.height != height || other.width != width) {
            throw new InvalidInputException("frame", "size", height + "x" + width, other.height + "x" + other.width);
        }
        long sum = 0;
        for (int i = 0; i < rgb.length; i++) {
            sum += Math.abs((rgb[i] & 0xFF) - (other.rgb[i] & 0xFF));
        }
        return (double) sum / rgb.length;
    }
}
