package kiban.data.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.lerobot.LeRobotDatasetWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowedSamplerTest {

    @TempDir
    static Path tmp;

    static LeRobotDataset ds;

    /** Three episodes of lengths 5, 3, 4; state = [episode, frame], action = [100 * episode + frame]. */
    @BeforeAll
    static void write() {
        Path dir = tmp.resolve("ds");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, LeRobotDatasetWriter.Options.of(10, "t",
                List.of(Feature.of("observation.state", "float32", 2), Feature.of("action", "float32", 1))))) {
            int[] lengths = {5, 3, 4};
            for (int e = 0; e < 3; e++) {
                for (int k = 0; k < lengths[e]; k++) {
                    w.addFrame(Map.of("observation.state", new float[] {e, k}, "action", new float[] {100 * e + k}));
                }
                w.saveEpisode("t");
            }
        }
        ds = LeRobotDataset.open(dir);
    }

    @Test
    void windowsPadAtEpisodeEdges() {
        DeltaTimestamps d = DeltaTimestamps.ofSeconds(Map.of("observation.state", new double[] {-0.1, 0}, "action",
                new double[] {0, 0.1, 0.2}), 10);
        WindowedSampler s = new WindowedSampler(ds, d);
        assertThat(s.size()).isEqualTo(12);
        Sample first = s.get(5);  // episode 1, frame 0
        assertThat(first.episode()).isEqualTo(1);
        assertThat(first.index()).isEqualTo(5);
        assertThat(first.values().get("observation.state")).containsExactly(1, 0, 1, 0);
        assertThat(first.padMasks().get("observation.state")).containsExactly(true, false);
        Sample last = s.get(6);  // episode 1, frame 1: the chunk runs one past the end
        assertThat(last.values().get("action")).containsExactly(101, 102, 102);
        assertThat(last.padMasks().get("action")).containsExactly(false, false, true);
        assertThatThrownBy(() -> DeltaTimestamps.ofSeconds(Map.of("action", new double[] {0.05}), 10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("multiple of 1/fps");
    }

    @Test
    void seededShuffleIsReproducibleForAnyWorkerCount() {
        WindowedSampler s = new WindowedSampler(ds, DeltaTimestamps.ofFrames(Map.of("action", new int[] {0})));
        List<Long> a = order(new BatchLoader(s, 5, true, false, 7, 1, 1));
        List<Long> b = order(new BatchLoader(s, 5, true, false, 7, 3, 4));
        List<Long> c = order(new BatchLoader(s, 5, true, false, 8, 2, 2));
        assertThat(a).hasSize(12).doesNotHaveDuplicates().isEqualTo(b).isNotEqualTo(c);
        try (BatchLoader drop = new BatchLoader(s, 5, false, true, 0, 2, 2)) {
            int n = 0;
            for (Batch batch : drop) {
                assertThat(batch.size()).isEqualTo(5);
                n++;
            }
            assertThat(n).isEqualTo(2);
        }
    }

    private static List<Long> order(BatchLoader loader) {
        List<Long> out = new ArrayList<>();
        try (loader) {
            for (Iterator<Batch> it = loader.epoch(0); it.hasNext(); ) {
                it.next().samples().forEach(x -> out.add(x.index()));
            }
        }
        return out;
    }

    @Test
    void splitsByEpisodeAndMixesByWeight() {
        EpisodeSplit split = EpisodeSplit.of(3, 0.34, 1);
        assertThat(split.validation()).hasSize(1);
        assertThat(split.train()).hasSize(2).doesNotContainAnyElementsOf(split.validation());
        DeltaTimestamps d = DeltaTimestamps.ofFrames(Map.of("action", new int[] {0}));
        WindowedSampler train = new WindowedSampler(ds, d, split.train());
        WindowedSampler val = new WindowedSampler(ds, d, split.validation());
        for (int i = 0; i < val.size(); i++) {
            assertThat(split.validation()).contains(val.get(i).episode());
        }
        assertThat(train.size() + val.size()).isEqualTo(12);
        Mixture m = new Mixture(List.of(train, val), new double[] {3, 1}, 4000, 5);
        int fromFirst = 0;
        for (int i = 0; i < m.size(); i++) {
            fromFirst += m.sourceOf(i) == 0 ? 1 : 0;
            assertThat(m.get(i).index()).isEqualTo(m.get(i).index());
        }
        assertThat(fromFirst / 4000.0).isBetween(0.72, 0.78);
    }
}
