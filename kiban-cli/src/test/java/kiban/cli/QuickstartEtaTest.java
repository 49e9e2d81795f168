package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import kiban.cli.QuickstartEta.Stage;
import org.junit.jupiter.api.Test;

class QuickstartEtaTest {

    @Test
    void theFirstEstimateIsTheReferenceMachinesRun() {
        QuickstartEta eta = new QuickstartEta(600, 40_000, 50);
        // 104 s of recording, 40,000 steps at 73 steps/s, 21 s of evaluation: docs/PERFORMANCE.md's 11 minutes.
        assertThat(eta.remaining(Stage.RECORD, 600, Double.NaN)).isCloseTo(104 + 40_000 / 73.0 + 21, within(1e-6));
        assertThat(eta.initial()).startsWith("estimate: about 11 min in all on a quiet 2-core machine (recording 2 min, "
                + "training 9 min, evaluation under 1 min)");
    }

    @Test
    void measuredRatesReplaceTheReferenceOnesForTheRestOfTheRun() {
        QuickstartEta eta = new QuickstartEta(600, 40_000, 50);
        // Training at half the reference speed: the steps left at that rate, and evaluation twice as slow too.
        String text = eta.measured(Stage.TRAIN, 36.5, 30_000);
        assertThat(eta.remaining(Stage.TRAIN, 30_000, 36.5)).isCloseTo(30_000 / 36.5 + 2 * 21, within(1e-6));
        assertThat(text).startsWith("training at 36.5 steps/s (73 on the reference machine): about 14 min left in all, done near ");
        assertThat(eta.atStart(Stage.EVAL)).startsWith("about 1 min left in all");
        // A resumed run has fewer units left; nothing left is nothing to wait for.
        assertThat(new QuickstartEta(0, 0, 0).remaining(Stage.RECORD, 0, Double.NaN)).isZero();
    }

    @Test
    void theCameraQuickstartHasItsOwnReferenceAndItsEstimatorStage() {
        QuickstartEta eta = new QuickstartEta(QuickstartEta.Reference.CAMERA, 600, 40_000, 10_000, 50);
        // 600 episodes with video in 545 s, 40,000 state steps at 30 steps/s, 10,000 estimator steps at 10 steps/s,
        // 50 evaluations from frames at 2.4 s.
        assertThat(eta.remaining(Stage.RECORD, 600, Double.NaN))
                .isCloseTo(545 + 40_000 / 30.0 + 10_000 / 10.0 + 50 * 2.4, within(1e-6));
        assertThat(eta.initial()).startsWith("estimate: about 50 min in all on a 2-core machine (recording 9 min, "
                + "training 22 min, estimator training 17 min, evaluation 2 min)");
        assertThat(eta.measured(Stage.ESTIMATOR, 5, 5_000)).startsWith("estimator training at 5 steps/s (10 on the "
                + "reference machine)");
        // Half the reference speed: the steps left at that rate, and evaluation twice as slow too.
        assertThat(eta.remaining(Stage.ESTIMATOR, 5_000, 5)).isCloseTo(5_000 / 5.0 + 2 * 50 * 2.4, within(1e-6));
    }
}
