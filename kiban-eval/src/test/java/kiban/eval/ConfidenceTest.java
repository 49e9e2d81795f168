package kiban.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidenceTest {

    @Test
    void wilsonMatchesPublishedValues() {
        // Reference values from the Wilson formula (e.g. statsmodels proportion_confint, method="wilson").
        double[] half = Confidence.wilson(5, 10, Confidence.Z95);
        assertThat(half[0]).isCloseTo(0.2366, within(1e-4));
        assertThat(half[1]).isCloseTo(0.7634, within(1e-4));
        double[] none = Confidence.wilson(0, 50, Confidence.Z95);
        assertThat(none[0]).isCloseTo(0, within(1e-12));
        assertThat(none[1]).isCloseTo(0.0713, within(1e-4));
        double[] all = Confidence.wilson(50, 50, Confidence.Z95);
        assertThat(all[1]).isEqualTo(1.0);
        assertThat(all[0]).isCloseTo(0.9287, within(1e-4));
    }
}
