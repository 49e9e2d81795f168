package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer stopped at any moment, from its first file operation on, leaves a folder that is either
 * a valid dataset holding every saved episode or one that the next writer takes over (nothing, or
 * an interrupted creation); a second writer touches nothing of a first one's; new folders are
 * forced to disk in their parents.
 */
class InterruptedWriterTest {

    static final int EPISODES = 3;

    @TempDir
    Path tmp;

    private static LeRobotDatasetWriter.Limits limits(DatasetFiles files) {
        return new LeRobotDatasetWriter.Limits(files, LeRobotDatasetWriter.DEFAULT_REWRITE_LIMIT_MB, FailedSaveTest.CAP_BYTES);
    }

    /** Opens the folder as a resumed recording does (resume a dataset, else create one). */
    private static LeRobotDatasetWriter open(Path dir, DatasetFiles files) {
        return Files.isRegularFile(dir.resolve("meta/info.json")) ? LeRobotDatasetWriter.resume(dir, limits(files))
                : LeRobotDatasetWriter.create(dir, TestData.options().withMetaFile("meta/kiban.json", "{\"env\": \"test\"}\n"),
                        limits(files));
    }

    /** Records up to {@link #EPISODES}; returns how many saves returned before {@code files} died. */
    private static int recordUntilStopped(Path dir, FaultyFiles files) {
        LeRobotDatasetWriter w = null;
        int saved = 0;
        try {
            w = open(dir, files);
            for (int e = w.episodeCount(); e < EPISODES; e++) {
                TestData.writeEpisode(w, e);
                saved++;
            }
            w.close();
        } catch (KibanException e) {
            if (w != null) {
                w.abandon();
            }
        }
        return saved;
    }

    @Test
    void aWriterStoppedAtAnyFileOperationLeavesAFolderTheNextOneCompletes() throws IOException {
        Path reference = tmp.resolve("reference");
        FaultyFiles counting = new FaultyFiles();
        assertThat(recordUntilStopped(reference, counting)).isEqualTo(EPISODES);
        int operations = counting.operations();
        List<String> steps = counting.log.stream().filter(l -> !l.startsWith("force")).toList();
        DatasetContent expected = DatasetContent.of(reference);
        List<Integer> interruptedCreations = new ArrayList<>();
        int stops = 0;
        for (int n = 1; n <= operations; n++) {
            // A stop inside a write differs from one at the next operation only by a shorter file in staging.
            if (steps.get(n - 1).startsWith("write ")) {
                continue;
            }
            stops++;
            Path dir = tmp.resolve("stopped-" + n);
            FaultyFiles dying = new FaultyFiles();
            dying.dieAt(n);
            int saved = recordUntilStopped(dir, dying);
            switch (DatasetFolder.classify(dir)) {
                case DATASET -> {
                    ValidationReport r = DatasetValidator.validate(dir);
                    assertThat(r.errors()).as("stopped at operation %d (%s): %s", n, dying.log.getLast(), r.issues()).isEmpty();
                    assertThat(LeRobotDataset.open(dir).episodes().size()).isGreaterThanOrEqualTo(saved);
                    assertThat(dir.resolve("meta/kiban.json")).as("extra meta files come with info.json").exists();
                }
                case EMPTY, UNFINISHED -> {
                    assertThat(saved).isZero();
                    interruptedCreations.add(n);
                    if (Files.isDirectory(dir.resolve(LeRobotDatasetWriter.STAGING))) {
                        assertThatThrownBy(() -> LeRobotDataset.open(dir)).isInstanceOf(InvalidInputException.class)
                                .hasMessageContaining("interrupted before its dataset was created").hasMessageContaining("--resume");
                    }
                }
                case OTHER -> throw new AssertionError("stopped at operation " + n + " (" + dying.log.getLast() + "): the folder "
                        + "is neither a dataset nor one the next writer takes over");
            }
            recordUntilStopped(dir, new FaultyFiles());
            assertThat(DatasetContent.of(dir)).as("completed after a stop at operation %d", n).isEqualTo(expected);
        }
        assertThat(stops).as("operations that change the folder").isGreaterThan(30);
        assertThat(interruptedCreations).as("stops before info.json existed").startsWith(1, 2).hasSizeGreaterThan(5);
    }

    /** The folder the writer before this fix left when interrupted while creating (the lock, a temporary file, meta files without info.json). */
    @Test
    void aFolderLeftByAnInterruptedCreationIsTakenOverWithResumeOrForce() throws IOException {
        for (String how : List.of("create", "force", "resume")) {
            Path dir = tmp.resolve("left-" + how);
            Files.createDirectories(dir.resolve(".kiban-staging"));
            Files.writeString(dir.resolve(".kiban-staging/lock"), "");
            Files.writeString(dir.resolve(".kiban-staging/tmp-4242-file-000.parquet"), "half a file");
            Files.createDirectories(dir.resolve("meta/episodes/chunk-000"));
            Files.writeString(dir.resolve("meta/tasks.parquet"), "PAR1");
            assertThat(DatasetFolder.classify(dir)).isEqualTo(DatasetFolder.Contents.UNFINISHED);
            ValidationReport r = DatasetValidator.validate(dir);
            assertThat(r.valid()).isFalse();
            assertThat(r.errors().getFirst().message()).contains("interrupted before its dataset was created").contains("--resume");
            var options = TestData.options().withForce(how.equals("force"));
            try (LeRobotDatasetWriter w = how.equals("resume") ? open(dir, DatasetFiles.SYSTEM)
                    : LeRobotDatasetWriter.create(dir, options)) {
                TestData.writeEpisode(w, 0);
            }
            assertThat(DatasetValidator.validate(dir).issues()).isEmpty();
            assertThat(dir.resolve(".kiban-staging")).doesNotExist();
        }
        // A folder with anything else in it stays refused, with or without --force.
        Path other = tmp.resolve("other");
        Files.createDirectories(other.resolve(".kiban-staging"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        for (boolean force : new boolean[] {false, true}) {
            assertThatThrownBy(() -> LeRobotDatasetWriter.create(other, TestData.options().withForce(force)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining(force ? "not a dataset" : "non-empty");
        }
        assertThat(other.resolve("notes.txt")).exists();
    }

    @Test
    void aSecondWriterNeitherStartsNorTouchesTheFirstOnesFiles() throws IOException {
        Path dir = tmp.resolve("busy");
        try (LeRobotDatasetWriter first = LeRobotDatasetWriter.create(dir, TestData.options())) {
            TestData.writeEpisode(first, 0);
            Path inFlight = dir.resolve(".kiban-staging/tmp-77-episode.parquet");
            Files.writeString(inFlight, "the first writer's temporary file");
            DatasetSnapshot before = DatasetSnapshot.of(dir);
            assertThatThrownBy(() -> LeRobotDatasetWriter.resume(dir)).isInstanceOf(KibanException.class)
                    .hasMessageContaining("being written by another writer");
            assertThat(inFlight).exists();
            assertThatThrownBy(() -> LeRobotDatasetWriter.create(dir, TestData.options().withForce(true)))
                    .isInstanceOf(KibanException.class).hasMessageContaining("being written by another writer");
            assertThatThrownBy(() -> LeRobotDataset.open(dir).writeStats(java.util.Map.of()))
                    .isInstanceOf(KibanException.class).hasMessageContaining("being written by another writer");
            assertThat(inFlight).exists();
            assertThat(DatasetSnapshot.of(dir)).isEqualTo(before);
            TestData.writeEpisode(first, 1);
        }
        assertThat(LeRobotDataset.open(dir).episodes()).hasSize(2);
        assertThat(DatasetValidator.validate(dir).issues()).isEmpty();
    }

    @Test
    void everyNewFolderIsForcedToDiskInItsParent() {
        Path dir = tmp.resolve("durable").toAbsolutePath();
        FaultyFiles files = new FaultyFiles();
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options(), limits(files))) {
            files.log.clear();
            TestData.writeEpisode(w, 0);
        }
        // The first episode makes data/ and data/chunk-000/: each new entry is forced in its parent, then the renamed file in its folder.
        assertThat(files.log).containsSubsequence("mkdir " + dir.resolve("data/chunk-000"), "force " + dir,
                "force " + dir.resolve("data"), "rename " + dir.resolve("data/chunk-000/file-000.parquet"),
                "force " + dir.resolve("data/chunk-000"));
    }

    @Test
    void anEncodedVideoIsOnDiskBeforeItIsPublished() {
        Path dir = tmp.resolve("video").toAbsolutePath();
        FaultyFiles files = new FaultyFiles();
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, VideoDatasetTest.options(), limits(files))) {
            files.log.clear();
            VideoDatasetTest.writeEpisode(w, 0);
        }
        Path published = dir.resolve("videos/" + VideoDatasetTest.CAM + "/chunk-000/file-000.mp4");
        int rename = files.log.indexOf("rename " + published);
        assertThat(rename).as("%s", files.log).isPositive();
        // The encoder's file in staging (a .mp4 outside the dataset's folders) is synced before the rename that publishes it.
        assertThat(files.log.subList(0, rename)).anyMatch(l -> l.startsWith("sync ") && l.endsWith(".mp4") && !l.contains("/videos/"));
    }
}
