package kiban.testing;

import java.util.Arrays;
import kiban.core.policy.ImageSpec;

/**
 * A camera for {@link LineEnv}'s task that shows what the state need not: the target, as a red
 * column on a white strip. A policy that reads the target from it must use the picture.
 */
public final class LineCamera {

    public static final ImageSpec CAMERA = ImageSpec.ofCamera("strip", 8, 16);

    private LineCamera() {}

    /** The RGB frame for a target in [-5, 5]. */
    public static byte[] strip(double target) {
        byte[] rgb = new byte[CAMERA.bytes()];
        Arrays.fill(rgb, (byte) 255);
        int col = (int) Math.round((target + 5) / 10 * (CAMERA.width() - 1));
        for (int row = 0; row < CAMERA.height(); row++) {
            int i = (row * CAMERA.width() + col) * 3;
            rgb[i + 1] = 0;
            rgb[i + 2] = 0;
        }
        return rgb;
    }
}
