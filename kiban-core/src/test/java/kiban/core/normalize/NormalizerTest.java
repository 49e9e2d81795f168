package kiban.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizerTest {

    static double[][] samples(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new double[] {r.nextGaussian() * 3 + 10, r.nextDouble() * 512, r.nextInt(4)};
        }
        return rows;
    }

    @Test
    void fitsLikeNumpy() {
        FeatureStats s = FeatureStats.fit(new double[][] {{1}, {2}, {3}, {4}});
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.mean()).containsExactly(2.5);
        assertThat(s.std()[0]).isCloseTo(Math.sqrt(1.25), within(1e-12)); // population std, as np.std
        assertThat(s.min()).containsExactly(1);
        assertThat(s.max()).containsExactly(4);
        assertThat(s.q50()).containsExactly(2.5);
        assertThat(s.q01()[0]).isCloseTo(1.03, within(1e-12)); // np.quantile([1,2,3,4], 0.01)
        assertThat(s.q99()[0]).isCloseTo(3.97, within(1e-12));
    }

    @Test
    void meanStdGivesZeroMeanUnitVariance() {
        double[][] rows = samples(1, 5000);
        FeatureNormalizer n = new FeatureNormalizer(NormalizationMode.MEAN_STD, FeatureStats.fit(rows));
        double[][] out = new double[rows.length][3];
        for (int i = 0; i < rows.length; i++) {
            n.normalize(rows[i], out[i]);
        }
        FeatureStats after = FeatureStats.fit(out);
        for (int j = 0; j < 3; j++) {
            assertThat(after.mean()[j]).isCloseTo(0, within(1e-9));
            assertThat(after.std()[j]).isCloseTo(1, within(1e-6));
        }
    }

    @Test
    void rangeModesMapTheFittedRangeToPlusMinusOne() {
        double[][] rows = samples(2, 2000);
        FeatureStats s = FeatureStats.fit(rows);
        FeatureNormalizer minMax = new FeatureNormalizer(NormalizationMode.MIN_MAX, s);
        FeatureNormalizer quantiles = new FeatureNormalizer(NormalizationMode.QUANTILES, s);
        double[] out = new double[3];
        minMax.normalize(s.min(), out);
        assertThat(out).containsExactly(new double[] {-1, -1, -1}, within(1e-6));
        minMax.normalize(s.max(), out);
        assertThat(out).containsExactly(new double[] {1, 1, 1}, within(1e-6));
        quantiles.normalize(s.q01(), out);
        assertThat(out).containsExactly(new double[] {-1, -1, -1}, within(1e-6));
        quantiles.normalize(s.q99(), out);
        assertThat(out).containsExactly(new double[] {1, 1, 1}, within(1e-6));
    }

    @Test
    void constantFeaturesDoNotDivideByZero() {
        FeatureStats s = FeatureStats.fit(new double[][] {{5}, {5}, {5}});
        for (NormalizationMode mode : NormalizationMode.values()) {
            double[] out = new double[1];
            new FeatureNormalizer(mode, s).normalize(new double[] {5}, out);
            assertThat(out[0]).as(mode.name()).isFinite();
        }
    }

    /** Regression: a joint the expert never turns varied by 2e-7 rad and was stretched to [-1, 1]. */
    @Test
    void nearlyConstantElementsAreCentredNotStretched() {
        double c = -Math.PI / 2;
        FeatureStats s = FeatureStats.fit(new double[][] {{c, 1, 0}, {c + 2.4e-7, 1, 5}, {c - 1e-9, 1, 10}});
        for (NormalizationMode mode : List.of(NormalizationMode.MIN_MAX, NormalizationMode.QUANTILES, NormalizationMode.MEAN_STD)) {
            FeatureNormalizer n = new FeatureNormalizer(mode, s);
            double[] out = new double[3];
            // Rounding noise stays noise; a real deviation (a flag seen as 0, a joint off by 0.1) stays its size.
            n.normalize(new double[] {c + 2.4e-7, 0, 10}, out);
            assertThat(Math.abs(out[0])).as(mode.name()).isLessThan(1e-6);
            assertThat(out[1]).as(mode.name()).isCloseTo(-1, within(1e-9));
            n.normalize(new double[] {c + 0.1, 1, 0}, out);
            assertThat(out[0]).as(mode.name()).isCloseTo(0.1, within(1e-6));
            double[] back = new double[3];
            n.denormalize(out, back);
            assertThat(back).containsExactly(new double[] {c + 0.1, 1, 0}, within(1e-9));
        }
    }

    @Test
    void savesAndLoadsWithTheStatisticsItWasFittedOn(@TempDir Path dir) {
        Map<String, FeatureNormalizer> features = new LinkedHashMap<>();
        features.put("observation.state", new FeatureNormalizer(NormalizationMode.MEAN_STD, FeatureStats.fit(samples(3, 100))));
        features.put("action", new FeatureNormalizer(NormalizationMode.QUANTILES, FeatureStats.fit(samples(4, 100))));
        Normalizer original = new Normalizer(features);
        Path file = dir.resolve("normalization.json");
        original.save(file);
        Normalizer loaded = Normalizer.load(file);
        assertThat(loaded.featureNames()).containsExactly("observation.state", "action");
        for (String name : loaded.featureNames()) {
            assertThat(loaded.get(name).mode()).isEqualTo(original.get(name).mode());
            assertThat(loaded.get(name).stats()).isEqualTo(original.get(name).stats());
            double[] a = new double[3];
            double[] b = new double[3];
            original.get(name).normalize(new double[] {1, 2, 3}, a);
            loaded.get(name).normalize(new double[] {1, 2, 3}, b);
            assertThat(b).containsExactly(a);
        }
    }

    @Test
    void badFilesAreRefusedWithTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("n.json");
        Normalizer.of(NormalizationMode.MEAN_STD, Map.of("a", FeatureStats.fit(samples(5, 10)))).save(file);
        String good = Files.readString(file);
        Files.writeString(file, good.replace("\"mean_std\"", "\"zscore\""));
        assertThatThrownBy(() -> Normalizer.load(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("features.a.mode").hasMessageContaining("mean_std, min_max, q01_q99, identity");
        Files.writeString(file, good.replace("\"format_version\" : 1", "\"format_version\" : 9"));
        assertThatThrownBy(() -> Normalizer.load(file)).hasMessageContaining("format version 1");
        Files.writeString(file, good.replaceFirst("\"std\" : \\[ [^]]*]", "\"std\" : [ 1.0 ]"));
        assertThatThrownBy(() -> Normalizer.load(file)).hasMessageContaining("features.a.stats.std");
        assertThatThrownBy(() -> Normalizer.of(NormalizationMode.MEAN_STD, Map.of()).get("x"))
                .hasMessageContaining("no normalisation for feature 'x'");
    }
}
