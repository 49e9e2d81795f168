package kiban.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import org.junit.jupiter.api.Test;

class InstructedPolicyTest {

    /** Keeps the instruction of every observation it is given; answers zeros. */
    private static final class Listening implements UnbatchedPolicy {
        final List<String> heard = new ArrayList<>();

        @Override
        public PolicyMetadata metadata() {
            FeatureSpec f = new FeatureSpec("x", "1", List.of(1), List.of(), List.of(-1.0), List.of(1.0), List.of());
            return new PolicyMetadata("listening", List.of(f), List.of(f), 2, 4, 2);
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            for (PolicyObservation o : history) {
                heard.add(o.instruction());
            }
            return new double[4][1];
        }
    }

    @Test
    void everyObservationCarriesTheInstructionUnlessItHasItsOwn() {
        Listening inner = new Listening();
        Policy p = new InstructedPolicy(inner, "keep to the right lane");
        p.infer(new double[][] {{0}, {1}});
        p.infer(new PolicyObservation[] {PolicyObservation.of(new double[] {0}), PolicyObservation.of(new double[] {1})
                .withInstruction("overtake and return")});
        p.inferBatch(new PolicyObservation[][] {PolicyObservation.of(new double[][] {{0}, {1}})});
        assertThat(inner.heard).containsExactly("keep to the right lane", "keep to the right lane", "keep to the right lane",
                "overtake and return", "keep to the right lane", "keep to the right lane");
    }

    @Test
    void aBlankInstructionIsRefused() {
        assertThatThrownBy(() -> new InstructedPolicy(new Listening(), " ")).hasMessageContaining("needs an instruction");
    }
}
