package kiban.core.policy;

/**
 * A camera image a policy reads: the LeRobot feature name ({@code observation.images.<camera>}) and
 * its size. Frames are {@code height x width x channels} bytes, row-major (HWC), RGB, as LeRobot
 * records video frames and Kiban's envs render them.
 */
public record ImageSpec(String name, int height, int width, int channels) {

    /** The prefix of LeRobot's camera features; the camera's name follows it. */
    public static final String PREFIX = "observation.images.";

    public ImageSpec {
        if (name == null || name.isBlank() || height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("an image feature needs a name and positive sizes, got " + name + " "
                    + height + "x" + width + "x" + channels);
        }
    }

    /** The image feature of the camera {@code camera}. */
    public static ImageSpec ofCamera(String camera, int height, int width) {
        return new ImageSpec(PREFIX + camera, height, width, 3);
    }

    /** The camera of the feature named {@code feature}: what follows {@link #PREFIX}, or empty for a feature named otherwise. */
    public static String cameraOf(String feature) {
        return feature.startsWith(PREFIX) ? feature.substring(PREFIX.length()) : "";
    }

    /** Bytes of one frame. */
    public int bytes() {
        return height * width * channels;
    }
}
