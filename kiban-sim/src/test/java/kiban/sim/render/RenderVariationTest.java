package kiban.sim.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import kiban.sim.env.Image;
import kiban.sim.env.RenderRandomization;
import org.junit.jupiter.api.Test;

class RenderVariationTest {

    @Test
    void theSameSeedDrawsTheSameVariationAndAnotherSeedAnother() {
        RenderVariation a = RenderVariation.draw(RenderRandomization.DEFAULT, 42);
        assertThat(RenderVariation.draw(RenderRandomization.DEFAULT, 42)).isEqualTo(a);
        assertThat(RenderVariation.draw(RenderRandomization.DEFAULT, 43)).isNotEqualTo(a);
        assertThat(RenderVariation.draw(RenderRandomization.NONE, 42)).isEqualTo(RenderVariation.NONE);
    }

    @Test
    void drawsStayWithinTheSpreads() {
        RenderRandomization r = RenderRandomization.DEFAULT;
        for (long seed = 0; seed < 200; seed++) {
            RenderVariation v = RenderVariation.draw(r, seed);
            assertThat(Math.abs(Math.toDegrees(v.angle()))).isLessThanOrEqualTo(r.rotationDegrees());
            assertThat(Math.abs(v.scale() - 1)).isLessThanOrEqualTo(r.scaleSpread());
            assertThat(Math.abs(v.shiftX())).isLessThanOrEqualTo(r.shiftFraction());
            double most = (1 + r.brightnessSpread()) * (1 + r.tintSpread());
            double least = (1 - r.brightnessSpread()) * (1 - r.tintSpread());
            assertThat(v.gains().red()).isBetween(least, most);
            int grey = v.colour(0x808080, 0);
            int red = (grey >> 16) & 0xff;
            assertThat(red).isBetween((int) Math.floor((128 - 255 * r.colourSpread()) * least),
                    (int) Math.ceil((128 + 255 * r.colourSpread()) * most));
        }
    }

    @Test
    void theViewMapsBackThroughItsInverse() {
        RenderVariation v = RenderVariation.draw(RenderRandomization.DEFAULT, 7);
        RenderVariation.View view = v.view(96, 96);
        RenderVariation.View back = view.inverse();
        double x = view.x(10, 70);
        double y = view.y(10, 70);
        assertThat(back.x(x, y)).isCloseTo(10, within(1e-9));
        assertThat(back.y(x, y)).isCloseTo(70, within(1e-9));
        // The plain view is the identity, and the centre moves by the shift alone.
        RenderVariation.View plain = RenderVariation.NONE.view(96, 96);
        assertThat(plain.x(13, 29)).isEqualTo(13);
        assertThat(view.x(48, 48)).isCloseTo(48 - v.shiftX() * 96, within(1e-9));
    }

    @Test
    void theNoneVariationLeavesAPictureAsItIs() {
        Image image = new Image(2, 2, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertThat(RenderVariation.NONE.apply(image)).isSameAs(image);
        assertThat(RenderVariation.NONE.colour(0x123456, 3)).isEqualTo(0x123456);
    }

    @Test
    void aShiftOfTheViewMovesThePictureTheOtherWay() {
        byte[] rgb = new byte[4 * 4 * 3];
        new java.util.SplittableRandom(3).nextBytes(rgb);
        Image image = new Image(4, 4, rgb);
        // A view shifted left by a quarter of the width (one pixel) shows everything one pixel to the right.
        RenderVariation shifted = new RenderVariation(0, 1, 0.25, 0, new RenderVariation.Gains(1, 1, 1), 0, 0);
        Image out = shifted.apply(image);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(out.rgbAt(r, c)).as("pixel %d,%d", r, c).isEqualTo(image.rgbAt(r, Math.max(0, c - 1)));
            }
        }
    }

    @Test
    void lightingScalesEveryPixelByItsChannelsGain() {
        RenderVariation lit = new RenderVariation(0, 1, 0, 0, new RenderVariation.Gains(0.5, 1, 2), 0, 0);
        Image image = new Image(1, 2, new byte[] {100, 100, 100, (byte) 200, 20, 10});
        Image out = lit.apply(image);
        assertThat(out.rgbAt(0, 0)).isEqualTo(50 << 16 | 100 << 8 | 200);
        assertThat(out.rgbAt(0, 1)).isEqualTo(100 << 16 | 20 << 8 | 20);
    }
}
