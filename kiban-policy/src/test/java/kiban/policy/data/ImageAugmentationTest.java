package kiban.policy.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import kiban.core.policy.ImageSpec;
import org.junit.jupiter.api.Test;

class ImageAugmentationTest {

    private static final ImageSpec FRAME = new ImageSpec("observation.images.top", 96, 96, 3);

    private static byte[] pattern() {
        byte[] b = new byte[FRAME.bytes()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + i / 7);
        }
        return b;
    }

    @Test
    void cropsAreDiffusionPolicysAndFitTheFrame() {
        ImageAugmentation a = new ImageAugmentation(84, 84, 0);
        assertThat(a.input(FRAME)).isEqualTo(new ImageSpec(FRAME.name(), 84, 84, 3));
        assertThat(a.centre(FRAME).top()).isEqualTo(6);
        SplittableRandom r = new SplittableRandom(1);
        java.util.Set<Integer> tops = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            ImageAugmentation.Draw d = a.draw(FRAME, r);
            assertThat(d.top()).isBetween(0, 12);
            assertThat(d.left()).isBetween(0, 12);
            tops.add(d.top());
        }
        assertThat(tops).hasSize(13);
        assertThatThrownBy(() -> new ImageAugmentation(100, 84, 0).input(FRAME)).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new ImageAugmentation(84, 0, 0)).hasMessageContaining("positive height and width");
        assertThatThrownBy(() -> new ImageAugmentation(0, 0, 0.7)).hasMessageContaining("[0, 0.5]");
    }

    @Test
    void jitterChangesColoursWithinRange() {
        ImageAugmentation a = new ImageAugmentation(0, 0, 0.3);
        byte[] frame = pattern();
        float[] plain = new float[FRAME.bytes()];
        ImagePixels.toChw(frame, FRAME, plain, 0);
        float[] out = new float[FRAME.bytes()];
        a.apply(frame, FRAME, a.draw(FRAME, new SplittableRandom(2)), out, 0);
        assertThat(out).isNotEqualTo(plain);
        for (float v : out) {
            assertThat(v).isBetween(0f, 1f);
        }
        // The identity draw leaves the pixels as ImagePixels reads them.
        a.apply(frame, FRAME, a.centre(FRAME), out, 0);
        assertThat(out).isEqualTo(plain);
    }
}
