package kiban.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import org.junit.jupiter.api.Test;

class PolicyObservationTest {

    @Test
    void anObservationNamesNoInstructionNorEmbodimentUnlessGivenOne() {
        PolicyObservation o = PolicyObservation.of(new double[] {1, 2});
        assertThat(o.instruction()).isEmpty();
        assertThat(o.embodiment()).isEmpty();
        PolicyObservation told = o.withInstruction("lift").withEmbodiment("ur5e");
        assertThat(told.instruction()).isEqualTo("lift");
        assertThat(told.embodiment()).isEqualTo("ur5e");
        assertThat(told.state()).isSameAs(o.state()); // handed over, not copied
        assertThat(new PolicyObservation(o.state(), Map.of(), null, null).embodiment()).isEmpty();
    }

    @Test
    void statesAreTheHistorysVectorsInOrder() {
        double[][] states = {{1}, {2}, {3}};
        assertThat(PolicyObservation.states(PolicyObservation.of(states))).isDeepEqualTo(states);
    }

    /** Counts its histories; answers each with its newest state. */
    private static final class Echo implements UnbatchedPolicy {
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public PolicyMetadata metadata() {
            FeatureSpec f = new FeatureSpec("x", "1", List.of(1), List.of(), List.of(-9.0), List.of(9.0), List.of());
            return new PolicyMetadata("echo", List.of(f), List.of(f), 2, 1, 1);
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            lengths.add(history.length);
            return new double[][] {history[history.length - 1].state()};
        }
    }

    @Test
    void everyCallReachesTheOnePrimitiveAndAnUnbatchedPolicyAnswersABatchInOrder() {
        Echo p = new Echo();
        assertThat(p.infer(new double[][] {{1}, {2}})).isDeepEqualTo(new double[][] {{2}});
        assertThat(p.infer(PolicyObservation.of(new double[][] {{3}, {4}}))).isDeepEqualTo(new double[][] {{4}});
        double[][][] batch = p.inferBatch(new PolicyObservation[][] {PolicyObservation.of(new double[][] {{5}, {6}}),
                PolicyObservation.of(new double[][] {{7}, {8}})});
        assertThat(batch).isDeepEqualTo(new double[][][] {{{6}}, {{8}}});
        assertThat(p.lengths).containsExactly(2, 2, 2, 2);
    }
}
