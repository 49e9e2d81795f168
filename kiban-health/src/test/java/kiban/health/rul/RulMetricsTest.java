package kiban.health.rul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** RMSE and the PHM08 score against values worked by hand. */
class RulMetricsTest {

    @Test
    void scoreChargesLatePredictionsMoreThanEarlyOnes() {
        // d = -13: exp(1) - 1; d = +10: exp(1) - 1; d = 0: 0; d = -26: exp(2) - 1; d = +5: exp(0.5) - 1.
        assertThat(RulMetrics.score(87, 100)).isCloseTo(1.718281828, within(1e-9));
        assertThat(RulMetrics.score(110, 100)).isCloseTo(1.718281828, within(1e-9));
        assertThat(RulMetrics.score(100, 100)).isZero();
        assertThat(RulMetrics.score(74, 100)).isCloseTo(6.389056099, within(1e-9));
        assertThat(RulMetrics.score(105, 100)).isCloseTo(0.648721271, within(1e-9));
        assertThat(RulMetrics.score(90, 100)).isLessThan(RulMetrics.score(110, 100));
    }

    @Test
    void rmseAndScoreOverUnits() {
        // errors -3, +4, 0: RMSE sqrt(25 / 3) = 2.88675; score (e^(3/13) - 1) + (e^0.4 - 1) = 0.25958 + 0.49182.
        RulMetrics m = RulMetrics.of(new double[] {10, 20, 30}, new double[] {13, 16, 30});
        assertThat(m.units()).isEqualTo(3);
        assertThat(m.rmse()).isCloseTo(2.886751346, within(1e-9));
        assertThat(m.score()).isCloseTo(0.259576 + 0.491825, within(1e-5));
        assertThat(m.meanError()).isCloseTo(1.0 / 3, within(1e-12));
    }
}
