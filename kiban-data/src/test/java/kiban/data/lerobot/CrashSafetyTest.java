package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kiban.data.table.FloatColumn;
import kiban.data.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer process killed with SIGKILL mid-write leaves a valid dataset holding every saved episode. */
class CrashSafetyTest {

    @TempDir
    Path tmp;

    /** Starts the writer, waits for "saved {atLeast}", lets it run {@code delayMs} more, then kills it; returns the last N seen. */
    private static int runAndKill(Path dir, boolean resume, int atLeast, long delayMs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), dir.toString(), resume ? "resume" : "create");
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        int saved = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (saved < atLeast && (line = r.readLine()) != null) {
                if (line.startsWith("saved ")) {
                    saved = Integer.parseInt(line.substring(6).trim());
                }
            }
            Thread.sleep(delayMs);
            // SIGKILL on Linux: no shutdown hooks, no finally blocks. It also closes our end of the pipe.
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(saved).as("child saved episodes before the kill").isGreaterThanOrEqualTo(atLeast);
        return saved;
    }

    private static void assertIntact(Path dir, int savedAtLeast) {
        ValidationReport report = DatasetValidator.validate(dir);
        assertThat(report.errors()).as(report.issues().toString()).isEmpty();
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.episodes().size()).isGreaterThanOrEqualTo(savedAtLeast);
        for (EpisodeInfo e : ds.episodes()) {
            Table t = ds.readEpisode(e.index());
            assertThat(t.rows()).isEqualTo(TestData.length(e.index()));
            FloatColumn s = t.floats("observation.state");
            for (int k = 0; k < t.rows(); k++) {
                assertThat(s.get(k, 5)).isEqualTo(TestData.state(e.index(), k, 5));
            }
        }
    }

    @Test
    void everySavedEpisodeSurvivesKillNine() throws Exception {
        Path dir = tmp.resolve("crash");
        int saved = runAndKill(dir, false, 5, 7);
        assertIntact(dir, saved);
        for (long delay : List.of(0L, 3L)) {
            int before = LeRobotDataset.open(dir).episodes().size();
            saved = runAndKill(dir, true, before + 4, delay);
            assertIntact(dir, saved);
        }
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(dir)) {
            TestData.writeEpisode(w, w.episodeCount());
        }
        assertThat(DatasetValidator.validate(dir).issues()).isEmpty();
        assertIntact(dir, saved + 1);
    }

    /** The state a kill leaves between the data rename and the info.json rename, made on purpose. */
    @Test
    void anUncommittedTrailingEpisodeIsIgnoredThenDroppedOnResume() throws Exception {
        Path dir = tmp.resolve("window");
        Path info = dir.resolve("meta/info.json");
        String committed;
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options())) {
            TestData.writeEpisode(w, 0);
            TestData.writeEpisode(w, 1);
            committed = java.nio.file.Files.readString(info);
            TestData.writeEpisode(w, 2);
        }
        java.nio.file.Files.writeString(info, committed);
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.errors()).as(r.issues().toString()).isEmpty();
        assertThat(r.warnings()).anyMatch(i -> i.message().contains("interrupted write"));
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.episodes()).hasSize(2);
        assertThat(ds.uncommittedEpisodes()).isEqualTo(1);
        assertThat(ds.readAll(java.util.Set.of("index")).rows()).isEqualTo(TestData.length(0) + TestData.length(1));
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(dir)) {
            assertThat(w.episodeCount()).isEqualTo(2);
        }
        assertThat(DatasetValidator.validate(dir).issues()).isEmpty();
        assertIntact(dir, 2);
        assertThat(LeRobotDataset.open(dir).episodes()).hasSize(2);
    }

    /** A kill after a new data file's rename but before the metadata: the file is unreferenced. */
    @Test
    void anUnreferencedNextDataFileIsAWarningAndResumeDeletesIt() {
        Path dir = tmp.resolve("orphan");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options())) {
            TestData.writeEpisode(w, 0);
            TestData.writeEpisode(w, 1);
        }
        Path first = dir.resolve("data/chunk-000/file-000.parquet");
        Path next = dir.resolve("data/chunk-000/file-001.parquet");
        kiban.data.table.Table t = kiban.data.parquet.ParquetTables.read(first);
        var cols = new java.util.LinkedHashMap<>(t.columns());
        long[] ep = new long[t.rows()];
        java.util.Arrays.fill(ep, 2);
        cols.put("episode_index", kiban.data.table.LongColumn.scalar(ep));
        kiban.data.parquet.ParquetTables.write(next, kiban.data.table.Table.of(cols), java.util.Map.of());
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.errors()).as(r.issues().toString()).isEmpty();
        assertThat(r.warnings()).singleElement().satisfies(i -> assertThat(i.file()).isEqualTo("data/chunk-000/file-001.parquet"));
        LeRobotDatasetWriter.resume(dir).close();
        assertThat(next).doesNotExist();
        assertThat(DatasetValidator.validate(dir).issues()).isEmpty();
        // A stray file among committed ones is an error, not an interrupted write.
        cols.put("episode_index", kiban.data.table.LongColumn.scalar(new long[t.rows()]));
        kiban.data.parquet.ParquetTables.write(dir.resolve("data/chunk-000/file-000-copy.parquet"), kiban.data.table.Table.of(cols),
                java.util.Map.of());
        assertThat(DatasetValidator.validate(dir).errors()).singleElement()
                .satisfies(i -> assertThat(i.message()).contains("not referenced"));
    }
}
