package kiban.policy.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newest checkpoint's step, as a resumed run or the quickstart's estimate reads it. */
class RunDirectoryTest {

    @Test
    void theLatestStepIsTheNewestCommittedCheckpointsAndZeroWithoutOne(@TempDir Path dir) throws Exception {
        RunDirectory run = new RunDirectory(dir);
        assertThat(run.latestStep()).isZero();
        run.commit(run.stageCheckpoint(500), 500);
        run.commit(run.stageCheckpoint(1234), 1234);
        assertThat(run.latestStep()).isEqualTo(1234);
        assertThat(RunDirectory.step(RunDirectory.name(123_456_789_012L))).isEqualTo(123_456_789_012L);
        assertThat(RunDirectory.step("step-00001234.tmp")).isZero();
    }
}
