package kiban.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class NormalizerPropertyTest {

    @Property(tries = 300)
    void denormalizeInvertsNormalize(@ForAll @IntRange(min = 0, max = 3) int modeIndex,
            @ForAll @DoubleRange(min = -1e4, max = 1e4) double x, @ForAll long seed) {
        NormalizationMode mode = NormalizationMode.values()[modeIndex];
        FeatureNormalizer n = new FeatureNormalizer(mode, FeatureStats.fit(NormalizerTest.samples(seed, 50)));
        double[] in = {x, -x, x / 3};
        double[] y = new double[3];
        double[] back = new double[3];
        n.normalize(in, y);
        n.denormalize(y, back);
        for (int j = 0; j < 3; j++) {
            assertThat(back[j]).isCloseTo(in[j], within(1e-9 * Math.max(1, Math.abs(in[j]))));
        }
    }

}
