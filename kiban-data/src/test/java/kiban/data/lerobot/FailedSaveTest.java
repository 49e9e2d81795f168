package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import kiban.core.error.KibanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save that fails (a full disk at any one file operation, or a real file system error) leaves
 * the dataset exactly as it was, keeps the episode, and succeeds when retried; a save whose files
 * cannot be put back stops the writer, and resuming continues the dataset.
 */
class FailedSaveTest {

    /** Small enough that episodes both share files and start new ones (with the full one re-encoded). */
    static final long CAP_BYTES = 9_000;
    static final int EPISODES = 4;

    @TempDir
    Path tmp;

    private static LeRobotDatasetWriter.Limits limits(DatasetFiles files) {
        return new LeRobotDatasetWriter.Limits(files, LeRobotDatasetWriter.DEFAULT_REWRITE_LIMIT_MB, CAP_BYTES);
    }

    private static void addFrames(LeRobotDatasetWriter w, int e) {
        int len = TestData.length(e);
        for (int k = 0; k < len; k++) {
            w.addFrame(TestData.frame(e, k, len));
        }
    }

    private static String task(int e) {
        return e % 2 == 0 ? "push the block" : "lift the cube";
    }

    private Path reference(String name, boolean video) {
        Path dir = tmp.resolve(name);
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, video ? VideoDatasetTest.options() : TestData.options(),
                limits(DatasetFiles.SYSTEM))) {
            for (int e = 0; e < EPISODES; e++) {
                if (video) {
                    VideoDatasetTest.writeEpisode(w, e);
                } else {
                    TestData.writeEpisode(w, e);
                }
            }
        }
        return dir;
    }

    /**
     * Saves each episode with a failure injected at its first file operation, then its second, and
     * so on until a save gets through; after every failure the dataset must be byte for byte what
     * it was and valid. The result must be byte for byte an undisturbed recording.
     */
    private int saveThroughEveryFailure(Path dir, boolean video) {
        FaultyFiles files = new FaultyFiles();
        int failures = 0;
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, video ? VideoDatasetTest.options() : TestData.options(),
                limits(files))) {
            for (int e = 0; e < EPISODES; e++) {
                int len = video ? VideoDatasetTest.length(e) : TestData.length(e);
                for (int k = 0; k < len; k++) {
                    w.addFrame(video ? Map.of("observation.state", new float[] {e, k}, "action", new float[] {k, -k},
                            VideoDatasetTest.CAM, VideoDatasetTest.frame(e, k)) : TestData.frame(e, k, len));
                }
                String task = video ? "look at the bar" : task(e);
                for (int n = 1; ; n++) {
                    DatasetSnapshot before = DatasetSnapshot.of(dir);
                    files.failAt(n);
                    try {
                        w.saveEpisode(task);
                    } catch (KibanException ex) {
                        failures++;
                        assertThat(ex).hasMessageContaining("episode " + e).hasMessageContaining("No space left on device")
                                .hasMessageContaining("as it was before it");
                        assertThat(DatasetSnapshot.of(dir)).as("after a failure at operation %d of episode %d", n, e).isEqualTo(before);
                        assertThat(w.pendingFrames()).isEqualTo(len);
                        assertThat(w.episodeCount()).isEqualTo(e);
                        ValidationReport r = DatasetValidator.validate(dir);
                        assertThat(r.issues()).as(r.issues().toString()).isEmpty();
                        continue;
                    }
                    assertThat(files.armed()).as("episode %d saved although operation %d was to fail", e, n).isTrue();
                    files.failAt(0);
                    break;
                }
            }
        }
        return failures;
    }

    @Test
    void aSaveFailingAtAnyFileOperationChangesNothingAndARetrySucceeds() {
        Path dir = tmp.resolve("faulty");
        int failures = saveThroughEveryFailure(dir, false);
        assertThat(failures).as("file operations of %d saves", EPISODES).isGreaterThan(EPISODES * 10);
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.dataFiles()).as("episodes both shared files and started new ones").hasSizeBetween(2, EPISODES - 1);
        assertThat(DatasetSnapshot.of(dir)).isEqualTo(DatasetSnapshot.of(reference("reference", false)));
    }

    @Test
    void videoSavesFailingAtAnyFileOperationChangeNothingAndRetriesKeepTheSpans() {
        Path dir = tmp.resolve("faulty-video");
        saveThroughEveryFailure(dir, true);
        assertThat(DatasetSnapshot.of(dir)).isEqualTo(DatasetSnapshot.of(reference("reference-video", true)));
        LeRobotDataset ds = LeRobotDataset.open(dir);
        for (int e = 0; e < EPISODES; e++) {
            var frames = ds.videoFrames(VideoDatasetTest.CAM, e, 0, VideoDatasetTest.length(e));
            for (int k = 0; k < frames.size(); k++) {
                assertThat(frames.get(k).meanAbsError(VideoDatasetTest.frame(e, k))).as("episode %d frame %d", e, k).isLessThan(4.0);
            }
        }
    }

    /** A real file system error, no injection: the first episode's data file cannot be created (a folder is in its way). */
    @Test
    void aSaveBlockedByTheFileSystemCanBeRetriedOnceTheCauseIsGone() throws IOException {
        for (boolean video : new boolean[] {false, true}) {
            Path dir = tmp.resolve(video ? "blocked-video" : "blocked");
            Path blocker = dir.resolve("data/chunk-000/file-000.parquet");
            try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, video ? VideoDatasetTest.options() : TestData.options())) {
                Files.createDirectories(blocker.resolve("in-the-way"));
                if (video) {
                    for (int k = 0; k < VideoDatasetTest.length(0); k++) {
                        w.addFrame(Map.of("observation.state", new float[] {0, k}, "action", new float[] {k, -k},
                                VideoDatasetTest.CAM, VideoDatasetTest.frame(0, k)));
                    }
                } else {
                    addFrames(w, 0);
                }
                String task = video ? "look at the bar" : task(0);
                for (int attempt = 0; attempt < 2; attempt++) {
                    DatasetSnapshot before = DatasetSnapshot.of(dir);
                    assertThatThrownBy(() -> w.saveEpisode(task)).isInstanceOf(KibanException.class)
                            .hasMessageContaining("file-000.parquet").hasMessageContaining("as it was before it");
                    assertThat(DatasetSnapshot.of(dir)).isEqualTo(before);
                }
                Files.delete(blocker.resolve("in-the-way"));
                Files.delete(blocker);
                w.saveEpisode(task);
                if (video) {
                    VideoDatasetTest.writeEpisode(w, 1);
                } else {
                    TestData.writeEpisode(w, 1);
                }
            }
            ValidationReport r = DatasetValidator.validate(dir);
            assertThat(r.issues()).as(r.issues().toString()).isEmpty();
            LeRobotDataset ds = LeRobotDataset.open(dir);
            assertThat(ds.episodes()).hasSize(2);
            if (video) {
                assertThat(ds.videoFrame(VideoDatasetTest.CAM, 1, 3).meanAbsError(VideoDatasetTest.frame(1, 3))).isLessThan(4.0);
                assertThat(ds.videoFrame(VideoDatasetTest.CAM, 0, 11).meanAbsError(VideoDatasetTest.frame(0, 11))).isLessThan(4.0);
            }
        }
    }

    @Test
    void aSaveWhoseChangesCannotBeUndoneStopsTheWriterAndResumeContinues() {
        Path dir = tmp.resolve("dying");
        FaultyFiles files = new FaultyFiles();
        LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options(), limits(files));
        TestData.writeEpisode(w, 0);
        TestData.writeEpisode(w, 1);
        addFrames(w, 2);
        // Dies after the data file and the episode metadata changed, before info.json: nothing can be put back.
        files.dieAt(12);
        assertThatThrownBy(() -> w.saveEpisode(task(2))).isInstanceOf(KibanException.class)
                .hasMessageContaining("nor put back").hasMessageContaining("resume");
        assertThatThrownBy(() -> w.addFrame(TestData.frame(2, 0, 5))).hasMessageContaining("stopped after a failed save");
        assertThatThrownBy(() -> w.saveEpisode(task(2))).hasMessageContaining("stopped after a failed save");
        w.close();
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.errors()).as(r.issues().toString()).isEmpty();
        assertThat(LeRobotDataset.open(dir).episodes()).hasSize(2);
        try (LeRobotDatasetWriter again = LeRobotDatasetWriter.resume(dir, limits(DatasetFiles.SYSTEM))) {
            assertThat(again.episodeCount()).isEqualTo(2);
            for (int e = 2; e < EPISODES; e++) {
                TestData.writeEpisode(again, e);
            }
        }
        assertThat(DatasetContent.of(dir)).isEqualTo(DatasetContent.of(reference("reference", false)));
    }
}
