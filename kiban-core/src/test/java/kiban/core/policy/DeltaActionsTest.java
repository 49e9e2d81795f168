package kiban.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import kiban.core.embodiment.FeatureSpec;

/** Delta rows become commands with the observation measured when each row is executed. */
class DeltaActionsTest {

    private static FeatureSpec f(String name, int size) {
        List<Double> lo = java.util.Collections.nCopies(size, -1e9);
        List<Double> hi = java.util.Collections.nCopies(size, 1e9);
        return new FeatureSpec(name, "1", List.of(size), List.of(), lo, hi, List.of());
    }

    /** Observation [vel(1), pos(2)], action [grip(1), target(2)]; target is a step from pos. */
    static PolicyMetadata metadata(int observationSteps, int horizon, int actionSteps) {
        return new PolicyMetadata("delta", List.of(f("vel", 1), f("pos", 2)), List.of(f("grip", 1), f("target", 2)),
                observationSteps, horizon, actionSteps, List.of(new DeltaPair("target", "pos")));
    }

    /** Chunk n's row h is (n, 10n + h, -(10n + h)): known deltas for the target. */
    static final class Steps implements UnbatchedPolicy {
        int calls;

        @Override
        public PolicyMetadata metadata() {
            return DeltaActionsTest.metadata(1, 4, 2);
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            calls++;
            double[][] chunk = new double[4][];
            for (int h = 0; h < 4; h++) {
                chunk[h] = new double[] {calls, 10 * calls + h, -(10 * calls + h)};
            }
            return chunk;
        }
    }

    private static double[] obs(double t) {
        return new double[] {-7, 1000 * t, 2000 * t};
    }

    @Test
    void toCommandAddsTheListedObservationFeatureOnly() {
        double[] c = DeltaActions.toCommand(new double[] {0.5, 1, 2}, new double[] {9, 10, 20}, metadata(1, 1, 1));
        assertThat(c).containsExactly(0.5, 11, 22);
        assertThat(DeltaActions.of(metadata(1, 1, 1).withDeltaActions(List.of())).isEmpty()).isTrue();
    }

    @Test
    void brokerAddsTheObservationOfTheExecutingStepNotOfThePrediction() {
        ActionChunkBroker broker = new ActionChunkBroker(new Steps());
        for (int t = 0; t < 4; t++) {
            int chunk = t / 2 + 1;
            int row = t % 2;
            double[] a = broker.act(obs(t));
            assertThat(a).containsExactly(chunk, 10 * chunk + row + 1000 * t, -(10 * chunk + row) + 2000 * t);
        }
    }

    @Test
    void ensemblerAveragesTheStepsThenAddsTheCurrentObservation() {
        TemporalEnsembler e = new TemporalEnsembler(new Steps(), 0.0);
        e.act(obs(0));
        double[] a = e.act(obs(1));
        // Step 1: chunk 1 row 1 (11) and chunk 2 row 0 (20), equal weights, plus pos measured at step 1.
        assertThat(a[1]).isCloseTo((11 + 20) / 2.0 + 1000, within(1e-12));
        assertThat(a[2]).isCloseTo(-(11 + 20) / 2.0 + 2000, within(1e-12));
        assertThat(a[0]).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void badPairsAreRefused() {
        PolicyMetadata m = metadata(1, 1, 1);
        assertThatThrownBy(() -> m.withDeltaActions(List.of(new DeltaPair("target", "vel"))))
                .hasMessageContaining("has 2 elements but observation vel has 1");
        assertThatThrownBy(() -> m.withDeltaActions(List.of(new DeltaPair("target", "nope"))))
                .hasMessageContaining("no observation feature nope");
        assertThatThrownBy(() -> m.withDeltaActions(List.of(new DeltaPair("pos", "pos"))))
                .hasMessageContaining("no action feature pos");
        assertThatThrownBy(() -> m.withDeltaActions(List.of(new DeltaPair("target", "pos"), new DeltaPair("target", "pos"))))
                .hasMessageContaining("listed twice");
    }
}
