package kiban.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import kiban.core.progress.Progress;
import kiban.policy.nn.IntraOpThreads;
import org.junit.jupiter.api.Test;

/**
 * The inference bench, short: Kiban's figures beside the Python peer's (Debian's python3-torch) at
 * the same thread count, with ratios that are the quotients of the figures; and the batch sweep.
 * A correctness test: its figures are not timed.
 */
class InferBenchTest {

    private static final Path PEER = Path.of("..", "bench", "peers", "infer_step.py");

    private static Progress quiet() {
        return Progress.to(new PrintStream(new ByteArrayOutputStream()), "t", "x", 0);
    }

    private static Map<String, Measurement> bySetting(List<Measurement> ms) {
        return ms.stream().collect(Collectors.toMap(Measurement::setting, Function.identity()));
    }

    @Test
    void kibanAndThePeerAreTimedAtTheSameThreadCountWithTheirRatios() {
        Map<String, Measurement> m = bySetting(new InferBench(40, PEER).run(List.of("mlp"), quiet()));
        int threads = IntraOpThreads.forRows(1);
        Measurement kiban = m.get("kiban, batch 1, " + threads + " thread(s), p50");
        Measurement python = m.entrySet().stream().filter(e -> e.getKey().startsWith("python torch")
                && e.getKey().endsWith(threads + " thread(s), p50")).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(kiban.value()).isPositive();
        assertThat(python.value()).isPositive();
        assertThat(python.operations()).isEqualTo(40);
        assertThat(m.get("kiban / python, p50").value()).isCloseTo(kiban.value() / python.value(), within(1e-9));
        assertThat(m.get("kiban p99.9 / kiban p50").value()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aPolicyThePeerCannotBuildIsTimedAlone() {
        List<Measurement> ms = new InferBench(20, PEER).run(List.of("flow"), quiet());
        assertThat(ms).extracting(Measurement::setting).noneMatch(s -> s.startsWith("python")).contains("kiban p99.9 / kiban p50");
    }

    @Test
    void theSweepTimesEveryBatchSizeOnOneThreadAndOnTheDefault() {
        Map<String, Measurement> m = bySetting(new InferBench(40, null).sweep("mlp", List.of(1, 16), quiet()));
        for (int batch : new int[] {1, 16}) {
            for (int threads : new int[] {1, IntraOpThreads.engineDefault()}) {
                assertThat(m.get("batch " + batch + ", " + threads + " thread(s), p99").value()).as("batch %d, %d threads", batch, threads)
                        .isGreaterThanOrEqualTo(m.get("batch " + batch + ", " + threads + " thread(s), p50").value()).isPositive();
            }
        }
    }
}
