package kiban.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import org.junit.jupiter.api.Test;

/**
 * The serving acceptance run, short: well-behaved clients beside two hostile clients of each kind
 * see no errors, every kind of attack is made and refused, and the heap stays bounded. A
 * correctness test: its figures are not timed.
 */
class ServeBenchTest {

    /** Two observations of six, chunks of 16 x 2: the bench's sizes, without a network to initialise. */
    static final class SumPolicy implements UnbatchedPolicy {
        private static final PolicyMetadata METADATA = new PolicyMetadata("sum", List.of(feature("state", 6)),
                List.of(feature("action", 2)), 2, 16, 8);

        private static FeatureSpec feature(String name, int size) {
            return new FeatureSpec(name, "", List.of(size), List.of(), Collections.nCopies(size, -1.0), Collections.nCopies(size, 1.0),
                    List.of());
        }

        @Override
        public PolicyMetadata metadata() {
            return METADATA;
        }

        @Override
        public double[][] inferOne(PolicyObservation[] observed) {
            double[][] history = PolicyObservation.states(observed);
            double sum = 0;
            for (double[] o : history) {
                for (double v : o) {
                    sum += v;
                }
            }
            double[][] out = new double[16][2];
            for (double[] row : out) {
                java.util.Arrays.fill(row, sum);
            }
            return out;
        }
    }

    @Test
    void wellBehavedClientsSeeNoErrorsBesideHostileOnes() throws Exception {
        Function<java.nio.file.Path, Policy> loader = p -> new SumPolicy();
        List<Measurement> ms = new ServeBench("sum", loader, 3).run(new ServeBench.Scenario(16, 8, 16, 0));
        Map<String, Double> by = ms.stream().collect(Collectors.toMap(m -> m.setting().replaceFirst(" \\(first: .*\\)$", ""),
                Measurement::value));
        String label = "16 clients (8 hostile), batching 16/0.0ms";
        assertThat(by.get(label + ", errors")).as(ms.toString()).isZero();
        assertThat(by.get(label + ", throughput")).isPositive();
        for (String kind : List.of("oversized", "malformed", "slow-reading", "never-reading")) {
            assertThat(by.get(label + ", hostile " + kind + " attacks")).as(kind).isPositive();
        }
        // The attacks that must end in a refusal did.
        for (String kind : List.of("oversized", "malformed", "never-reading")) {
            assertThat(by.get(label + ", hostile " + kind + " refused")).as(kind).isPositive();
        }
        // Two oversized clients send 16 MiB each at a time; the server must not hold many such messages, nor keep what it held.
        assertThat(by.get(label + ", heap after")).isLessThan(256);
        assertThat(by.get(label + ", heap peak after a collection")).isLessThan(1024);
    }
}
