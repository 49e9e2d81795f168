package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.PolicyObservation;

/**
 * Any bytes as a {@code POST /v1/infer} body: a history of the policy's shape with finite states, or an
 * {@link InvalidInputException} naming the problem (the route's 400); never anything else, and never an
 * allocation the metadata did not ask for.
 */
class JsonInferFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void parsesAnyBodyOrNamesTheProblem(byte[] body) {
        PolicyObservation[] history;
        try {
            history = JsonInfer.parse(body, FakePolicy.METADATA);
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(history).hasSize(FakePolicy.METADATA.observationSteps());
        for (PolicyObservation o : history) {
            assertThat(o.state()).hasSize(FakePolicy.METADATA.observationDim());
            assertThat(Arrays.stream(o.state()).allMatch(Double::isFinite)).isTrue();
        }
    }
}
