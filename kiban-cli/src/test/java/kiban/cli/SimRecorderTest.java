package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import kiban.core.progress.Progress;
import kiban.policy.data.DatasetEpisodes;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Envs playing episodes on several threads write the dataset one playing them in turn writes. */
class SimRecorderTest {

    @Test
    void theNumberOfPlayersDoesNotChangeTheDataset(@TempDir Path dir) {
        EnvProvider pusht = EnvRegistry.load().get("pusht");
        String[] hashes = new String[3];
        int[] players = {1, 3, 3};
        for (int i = 0; i < players.length; i++) {
            Path out = dir.resolve("players-" + i);
            // The last one stops after 4 and resumes to 7, as an interrupted recording does.
            if (i == 2) {
                record(pusht, 4, out, false, players[i]);
            }
            var r = record(pusht, 7, out, i == 2, players[i]);
            assertThat(r.totalEpisodes()).isEqualTo(7);
            hashes[i] = DatasetEpisodes.load(out, 0).contentHash();
        }
        assertThat(hashes[1]).isEqualTo(hashes[0]);
        assertThat(hashes[2]).isEqualTo(hashes[0]);
    }

    @Test
    void aResumedRecordingsRateCountsOnlyTheEpisodesItRecords(@TempDir Path dir) {
        EnvProvider pusht = EnvRegistry.load().get("pusht");
        Path out = dir.resolve("resumed");
        record(pusht, 2, out, false, 1);
        try (Progress p = Progress.start("record", "episodes", 3, false)) {
            SimRecorder.record(pusht, pusht::expert, 3, 0, out, true, false, false, 0, null, 1, p);
            // The rate is taken over this run's time: one episode recorded now, not the three the bar shows.
            assertThat(p.rate() * p.seconds()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    private static SimRecorder.Result record(EnvProvider env, int episodes, Path out, boolean resume, int players) {
        try (Progress p = Progress.start("record", "episodes", episodes, false)) {
            return SimRecorder.record(env, env::expert, episodes, 0, out, resume, false, false, 0, null, players, p);
        }
    }
}
