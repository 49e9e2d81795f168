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

    @Test
    void saturationAndHueLeaveGreysGreyAndBrightnessScalesThem() {
        ImageSpec tiny = new ImageSpec("observation.images.top", 1, 2, 3);
        ImageAugmentation a = new ImageAugmentation(0, 0, 0.5);
        byte[] greys = {100, 100, 100, (byte) 200, (byte) 200, (byte) 200};
        float[] out = new float[6];
        // Saturation and hue only: greys keep their value.
        a.apply(greys, tiny, new ImageAugmentation.Draw(0, 0, 1, 1, 1.4f, (float) Math.cos(1), (float) Math.sin(1)), out, 0);
        assertThat(out).containsExactly(new float[] {100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f},
                org.assertj.core.data.Offset.offset(1e-5f));
        // Brightness 1.2 with contrast 0.5: halfway between the brightened pixel and the brightened mean (150 * 1.2).
        a.apply(greys, tiny, new ImageAugmentation.Draw(0, 0, 1.2f, 0.5f, 1, 1, 0), out, 0);
        float low = (0.5f * 120 + 0.5f * 180) / 255f;
        float high = (0.5f * 240 + 0.5f * 180) / 255f;
        assertThat(out).containsExactly(new float[] {low, high, low, high, low, high}, org.assertj.core.data.Offset.offset(1e-5f));
    }
}
