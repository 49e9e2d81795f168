package kiban.policy.data;

import static org.assertj.core.api.Assertions.assertThat;

import kiban.core.policy.ImageSpec;
import org.junit.jupiter.api.Test;

class ImagePixelsTest {

    @Test
    void hwcBytesBecomeChwValuesInTheUnitRange() {
        ImageSpec s = new ImageSpec("observation.images.top", 1, 2, 3);
        // Two pixels: (255, 0, 51) then (0, 102, 255).
        byte[] hwc = {(byte) 255, 0, 51, 0, 102, (byte) 255};
        float[] out = new float[7];
        ImagePixels.toChw(hwc, s, out, 1);
        assertThat(out).containsExactly(0f, 1f, 0f, 0f, 0.4f, 0.2f, 1f);
    }
}
