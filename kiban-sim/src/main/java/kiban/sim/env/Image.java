package kiban.sim.env;

/** An RGB frame, row-major, 3 bytes a pixel (height x width x 3, as LeRobot stores frames). */
public record Image(int height, int width, byte[] rgb) {

    public Image {
        if (rgb.length != height * width * 3) {
            throw new IllegalArgumentException("an RGB image of " + height + "x" + width + " needs "
                    + height * width * 3 + " bytes, got " + rgb.length);
        }
    }

    public static Image blank(int height, int width) {
        return new Image(height, width, new byte[height * width * 3]);
    }

    /** The pixel as 0xRRGGBB. */
    public int rgbAt(int row, int col) {
        int i = (row * width + col) * 3;
        return (rgb[i] & 0xff) << 16 | (rgb[i + 1] & 0xff) << 8 | rgb[i + 2] & 0xff;
    }
}
