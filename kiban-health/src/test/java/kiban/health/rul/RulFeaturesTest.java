package kiban.health.rul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.health.cmapss.EngineUnit;
import org.junit.jupiter.api.Test;

/** Which sensors are kept, the normalisation per operating condition, and its file form. */
class RulFeaturesTest {

    /**
     * Four cycles at settings (s1, s2, 100): s1 (reading 3) constant, s2 (reading 4) two values,
     * s3 (reading 5) 1, 2, 3, 4 plus {@code offset}; the other sensors constant.
     */
    private static EngineUnit unit(String file, float setting1, float offset) {
        float[][] r = new float[4][24];
        for (int t = 0; t < 4; t++) {
            r[t][0] = setting1;
            r[t][1] = 0.0003f;
            r[t][2] = 100;
            r[t][3] = 518.67f;
            r[t][4] = t % 2 == 0 ? 21.60f : 21.61f;
            r[t][5] = t + 1 + offset;
        }
        return new EngineUnit(file, 1, 10, new int[] {1, 2, 3, 4}, r);
    }

    @Test
    void keepsSensorsWithThreeOrMoreValuesAndStandardisesPerCondition() {
        RulFeatures f = RulFeatures.fit(List.of(unit("a", 0.0004f, 0), unit("a", 42.0f, 100)), 0, false);
        assertThat(f.names()).containsExactly("s3");
        assertThat(f.conditions()).hasSize(2);
        // condition at setting1 0: s3 = 1..4, mean 2.5, population std sqrt(1.25); the other condition's s3 is
        // 101..104 and is standardised to the same values with its own mean.
        float[][] a = f.apply(unit("a", 0.0004f, 0));
        float[][] b = f.apply(unit("a", 42.0f, 100));
        assertThat(a[0][0]).isCloseTo((float) (-1.5 / Math.sqrt(1.25)), within(1e-5f));
        assertThat(b[3][0]).isCloseTo((float) (1.5 / Math.sqrt(1.25)), within(1e-5f));
    }

    @Test
    void aRowInAnOperatingConditionTrainingNeverSawIsAnErrorNamingItsLine() {
        RulFeatures f = RulFeatures.fit(List.of(unit("a", 0f, 0)), 0, false);
        assertThatThrownBy(() -> f.apply(unit("test.txt", 25f, 0))).isInstanceOf(InvalidInputException.class)
                .hasMessage("test.txt:10: field 'columns 3-5 (settings)': expected one of the training data's operating "
                        + "conditions [(0, 0.0, 100)], got (25, 0.0, 100)");
    }

    @Test
    void roundTripsThroughItsFile() {
        RulFeatures f = RulFeatures.fit(List.of(unit("a", 0.0004f, 0), unit("a", 42.0f, 100)), 0, false);
        RulFeatures back = RulFeatures.read(f.toJson(), "features.json");
        assertThat(back.readings()).isEqualTo(f.readings());
        assertThat(back.apply(unit("a", 42.0f, 100))).isDeepEqualTo(f.apply(unit("a", 42.0f, 100)));
        assertThat(back.cycle()).isEmpty();
    }

    @Test
    void theCycleFeatureIsTheCycleNumberStandardisedOverTheTrainingRows() {
        RulFeatures f = RulFeatures.fit(List.of(unit("a", 0.0004f, 0), unit("a", 42.0f, 100)), 0, true);
        assertThat(f.names()).containsExactly("s3", "cycle");
        assertThat(f.size()).isEqualTo(2);
        // cycles 1..4 in both units: mean 2.5, population std sqrt(1.25), by hand
        float[][] a = f.apply(unit("a", 0.0004f, 0));
        assertThat(a[0][1]).isCloseTo((float) (-1.5 / Math.sqrt(1.25)), within(1e-5f));
        assertThat(a[3][1]).isCloseTo((float) (1.5 / Math.sqrt(1.25)), within(1e-5f));
        RulFeatures back = RulFeatures.read(f.toJson(), "features.json");
        assertThat(back.cycle()).isEqualTo(f.cycle());
        assertThat(back.apply(unit("a", 42.0f, 100))).isDeepEqualTo(f.apply(unit("a", 42.0f, 100)));
    }

    @Test
    void aDriftIsTheReadingLessItsMeanOverTheUnitsFirstCyclesNeverLaterOnes() {
        RulFeatures f = RulFeatures.fit(List.of(unit("a", 0.0004f, 0), unit("a", 42.0f, 100)), 2, true);
        assertThat(f.names()).containsExactly("s3", "s3_drift", "cycle");
        float[][] a = f.apply(unit("a", 0.0004f, 0));
        // s3 normalised is (t + 1 - 2.5) / sqrt(1.25); by hand, in units of 1 / sqrt(1.25):
        // cycle 1 sees only itself (drift 0), cycle 2 the mean of -1.5 and -0.5, later cycles that same mean
        double unitStd = Math.sqrt(1.25);
        assertThat(a[0][1]).isCloseTo(0f, within(1e-6f));
        assertThat(a[1][1]).isCloseTo((float) (0.5 / unitStd), within(1e-5f));
        assertThat(a[3][1]).isCloseTo((float) (2.5 / unitStd), within(1e-5f));
        assertThat(a[3][2]).isCloseTo((float) (1.5 / unitStd), within(1e-5f));
        RulFeatures back = RulFeatures.read(f.toJson(), "features.json");
        assertThat(back.baselineCycles()).isEqualTo(2);
        assertThat(back.apply(unit("a", 42.0f, 100))).isDeepEqualTo(f.apply(unit("a", 42.0f, 100)));
        assertThat(RulFeatures.read(RulFeatures.fit(List.of(unit("a", 0f, 0)), 0, false).toJson(), "f.json")
                .baselineCycles()).isZero();
    }

    @Test
    void aNonPositiveCycleScaleInItsFileIsAnErrorNamingTheField() {
        var json = RulFeatures.fit(List.of(unit("a", 0.0004f, 0)), 0, true).toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("cycle")).put("std", 0.0);
        assertThatThrownBy(() -> RulFeatures.read(json, "features.json")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("features.json: field 'cycle.std'");
    }
}
