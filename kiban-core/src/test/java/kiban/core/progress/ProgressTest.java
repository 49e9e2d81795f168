package kiban.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void aBarThatNeverMovedPrintsNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Progress p = Progress.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), "train", "steps", 100)) {
            p.status("loss 1");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aResumedJobsRateCountsOnlyWhatThisRunDid() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = Progress.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), "train", "steps", 2000);
        long before = System.nanoTime();
        p.begin(1000);
        Thread.sleep(100);
        p.step(10);
        double rate = p.rate();
        double elapsed = (System.nanoTime() - before) / 1e9;
        // 10 steps in at least 0.1 s: at most 100 steps/s; counting the 1000 resumed ones would give over 1000 / elapsed.
        assertThat(rate).isLessThanOrEqualTo(100.0 + 1e-9).isGreaterThanOrEqualTo(10 / elapsed);
        assertThat(p.done()).isEqualTo(1010);
        p.message("note");
        p.close();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("train [############            ] 1000/2000 steps").contains("note");
    }
}
