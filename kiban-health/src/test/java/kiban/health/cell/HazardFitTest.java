package kiban.health.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HazardFitTest {

    /** Minutes drawn from a known model are fitted back to it, and the truth scores better than a wrong model. */
    @Test
    void recoversTheBackgroundAndTheWearTermOfTheModelThatMadeTheData() {
        HazardModel truth = Models.vibrationOnly();
        SplittableRandom random = new SplittableRandom(7);
        FailureHistory history = new FailureHistory();
        history.newCycle();
        for (int i = 0; i < 200_000; i++) {
            HealthFeatures f = Models.running(2 + 3 * random.nextDouble());
            history.add(f, random.nextDouble() < -Math.expm1(-truth.hazard(f)));
        }
        HazardModel fit = HazardFit.fit(history, List.of(Covariate.VIBRATION));
        // the fit standardises vibration: compare hazards, which do not depend on how the covariate is scaled
        for (double v : new double[] {2.5, 3.5, 4.5}) {
            assertThat(Math.log(fit.hazard(Models.running(v)))).as("log hazard at %s mm/s", v)
                    .isCloseTo(Math.log(truth.hazard(Models.running(v))), within(0.15));
        }
        assertThat(Math.exp(fit.logBackground())).isCloseTo(1e-4, within(0.6e-4));
        assertThat(HazardFit.expectedFailures(fit, history)).isCloseTo(history.failures(), within(0.03 * history.failures()));
        HazardModel flat = new HazardModel(List.of(Covariate.VIBRATION), new double[] {4}, new double[] {1},
                Math.log(history.failures() / 200_000.0), -50, new double[] {0}, 0);
        assertThat(HazardFit.logLikelihood(fit, history)).isGreaterThan(HazardFit.logLikelihood(flat, history));
    }

    @Test
    void driftIsTheWithinCycleSlopeOfTheLinearPredictor() {
        FailureHistory history = new FailureHistory();
        for (int cycle = 0; cycle < 3; cycle++) {
            history.newCycle();
            for (int t = 0; t < 50; t++) {
                // each cycle starts elsewhere; within it vibration climbs 0.01 mm/s a minute
                history.add(Models.running(2 + cycle + 0.01 * t), false);
            }
        }
        // log wear hazard grows ln(10) per mm/s
        assertThat(HazardFit.drift(history, Models.vibrationOnly())).isCloseTo(0.01 * Math.log(10), within(1e-9));
    }
}
