package kiban.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import kiban.policy.foundation.FoundationConfig;
import org.junit.jupiter.api.Test;

/**
 * The foundation benchmarks' PyTorch peer computes Kiban's network: the same parameters, and on
 * Kiban's weights the same velocity, for the default config and for another shape (so that the
 * peer follows the arguments, not the defaults).
 */
class FoundationPeerCheckTest {

    private static final Path PEER = Path.of("..", "bench", "peers", "train_step.py");

    private static Map<String, Measurement> check(FoundationConfig config, int stateDim, int actionDim) {
        List<Measurement> ms = FoundationPeerCheck.run(PEER, config, stateDim, actionDim);
        return ms.stream().collect(Collectors.toMap(m -> m.setting().replaceAll(" \\(.*", ""),
                Function.identity()));
    }

    @Test
    void thePeerHasKibansParametersAndComputesItsVelocity() {
        for (var shape : List.of(new Object[] {FoundationConfig.defaults(), 6, 2},
                new Object[] {FoundationConfig.defaults().with(c -> c.put("model_dim", 32).put("heads", 2).put("layers", 2)
                        .put("max_tokens", 5).put("horizon", 4).put("action_steps", 2).put("observation_steps", 3)), 3, 7})) {
            Map<String, Measurement> m = check((FoundationConfig) shape[0], (int) shape[1], (int) shape[2]);
            assertThat(m.get("parameters, kiban").value()).isPositive().isEqualTo(m.get("parameters, peer").value());
            Measurement difference = m.get("velocity on kiban's weights, max |kiban - peer|");
            assertThat(difference.value()).as(difference.setting()).isLessThan(1e-4);
        }
    }
}
