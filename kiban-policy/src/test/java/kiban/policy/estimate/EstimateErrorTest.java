package kiban.policy.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import org.junit.jupiter.api.Test;

class EstimateErrorTest {

    @Test
    void aTableWithAUnitPerColumnIsReportedPerColumn() {
        FeatureSpec traffic = new FeatureSpec("traffic", "m, m/s", List.of(2, 2), List.of("a.gap", "a.dvx", "b.gap", "b.dvx"),
                List.of(-5.0, -40.0, -5.0, -40.0), List.of(100.0, 40.0, 100.0, 40.0), List.of());
        // The table after one element of something else; every frame the same error.
        List<double[]> truth = List.of(new double[5], new double[5], new double[5]);
        List<double[]> read = List.of(new double[] {7, 3, 1, 4, -1}, new double[] {7, 3, 1, 4, -1}, new double[] {7, 3, 1, 4, -1});
        List<EstimateError> errors = EstimateError.of(traffic, 1, truth, read);
        assertThat(errors).extracting(EstimateError::feature).containsExactly("traffic.gap", "traffic.dvx");
        assertThat(errors).extracting(EstimateError::unit).containsExactly("m", "m/s");
        assertThat(errors.get(0).rms()).isCloseTo(Math.sqrt((9 + 16) / 2.0), offset(1e-12));
        assertThat(errors.get(0).median()).isCloseTo(5, offset(1e-12));
        assertThat(errors.get(1).rms()).isCloseTo(1, offset(1e-12));
        assertThat(errors.get(1).frames()).isEqualTo(3);
    }

    @Test
    void aFeatureOfOneUnitIsOneFigure() {
        FeatureSpec pos = new FeatureSpec("pos", "m", List.of(2), List.of("x", "y"), List.of(0.0, 0.0), List.of(1.0, 1.0),
                List.of());
        List<EstimateError> errors = EstimateError.of(pos, 0, List.of(new double[2]), List.of(new double[] {3, 4}));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.feature()).isEqualTo("pos");
            assertThat(e.rms()).isCloseTo(Math.sqrt(12.5), offset(1e-12));
            assertThat(e.median()).isCloseTo(5, offset(1e-12));
            assertThat(e.toString()).contains("RMS 3.536 m per element, median 5.000 m over 1 frames");
        });
    }

    @Test
    void aQuarterTurnAngleIsWrongOnlyUpToItsSymmetry() {
        FeatureSpec yaw = EstimatedFeaturesTest.CUBE_YAW;
        // Read as 44 degrees where it was -44: the cube's faces are 2 degrees off, not 88.
        List<EstimateError> errors = EstimateError.of(yaw, 0, List.of(new double[] {Math.toRadians(-44)}),
                List.of(new double[] {Math.toRadians(44)}));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.rms()).isCloseTo(Math.toRadians(2), offset(1e-12)));
    }
}
