package kiban.runtime.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's plumbing on a tiny run (its figures are measured by `kiban bench loop`, never asserted). */
class LoopBenchTest {

    @Test
    void measuresTheLoopAndTheCFloorAndNamesTheCollectors() {
        LoopBench.Result r = new LoopBench(new LoopBench.Options(0.2, List.of(100.0), 10, 16, true)).run();
        assertThat(r.loops()).singleElement().satisfies(l -> {
            assertThat(l.cycles()).isEqualTo(20);
            assertThat(l.lateness().count()).isEqualTo(20);
            assertThat(l.inferences()).isPositive();
        });
        assertThat(r.floors()).singleElement().satisfies(f -> {
            if (f.error().isEmpty()) {
                assertThat(f.cycles()).isEqualTo(20);
                assertThat(f.max()).isGreaterThanOrEqualTo(f.p50());
            } else {
                assertThat(f.error()).isNotBlank(); // no C compiler here: said, not hidden
            }
        });
        assertThat(r.collectors()).isNotEmpty();
    }
}
