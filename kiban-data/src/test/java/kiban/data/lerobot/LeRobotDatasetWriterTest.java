package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Set;
import kiban.core.error.InvalidInputException;
import kiban.core.normalize.FeatureStats;
import kiban.data.parquet.ParquetTables;
import kiban.data.table.BoolColumn;
import kiban.data.table.FloatColumn;
import kiban.data.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeRobotDatasetWriterTest {

    @TempDir
    Path tmp;

    private Path write(int episodes, int capMb) {
        Path dir = tmp.resolve("ds");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options().withDataFilesSizeInMb(capMb))) {
            for (int e = 0; e < episodes; e++) {
                TestData.writeEpisode(w, e);
            }
        }
        return dir;
    }

    @Test
    void roundTripKeepsEveryValue() {
        Path dir = write(5, 100);
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.version()).isEqualTo(FormatVersion.V3_0);
        assertThat(ds.info().totalEpisodes()).isEqualTo(5);
        assertThat(ds.tasks()).containsExactly("push the block", "lift the cube");
        long total = 0;
        for (int e = 0; e < 5; e++) {
            Table t = ds.readEpisode(e);
            int len = TestData.length(e);
            assertThat(t.rows()).isEqualTo(len);
            FloatColumn s = t.floats("observation.state");
            FloatColumn a = t.floats("action");
            for (int k = 0; k < len; k++) {
                for (int j = 0; j < TestData.STATE; j++) {
                    assertThat(s.get(k, j)).isEqualTo(TestData.state(e, k, j));
                }
                assertThat(a.get(k, 3)).isEqualTo(TestData.action(e, k, 3));
                assertThat(t.longs("frame_index").get(k)).isEqualTo(k);
                assertThat(t.longs("index").get(k)).isEqualTo(total + k);
                assertThat(t.longs("task_index").get(k)).isEqualTo(e % 2);
                assertThat(((BoolColumn) t.column("next.done")).values()[k]).isEqualTo(k == len - 1);
            }
            total += len;
        }
        assertThat(ds.info().totalFrames()).isEqualTo(total);
        // All five episodes share one data file under the 100 MB cap.
        assertThat(ds.dataFiles()).containsExactly(dir.resolve("data/chunk-000/file-000.parquet"));
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.issues()).isEmpty();
    }

    @Test
    void writesLeRobotSchemaAndStats() {
        Path dir = write(3, 100);
        var schema = ParquetTables.schema(dir.resolve("data/chunk-000/file-000.parquet"));
        assertThat(schema.getType("observation.state").toString()).contains("optional group observation.state (LIST)")
                .contains("repeated group list").contains("optional float element");
        assertThat(schema.getType("timestamp").asPrimitiveType().getPrimitiveTypeName().name()).isEqualTo("FLOAT");
        assertThat(schema.getType("index").asPrimitiveType().getPrimitiveTypeName().name()).isEqualTo("INT64");
        LeRobotDataset ds = LeRobotDataset.open(dir);
        FeatureStats s = ds.stats().get("observation.state");
        assertThat(s.count()).isEqualTo(ds.info().totalFrames());
        assertThat(s.min()[0]).isEqualTo(0.0);
        assertThat(s.max()[0]).isEqualTo(TestData.state(2, TestData.length(2) - 1, 0));
        assertThat(ds.stats()).containsKeys("action", "timestamp", "index", "next.done");
        assertThat(ds.episodes().get(1).stats().get("action").count()).isEqualTo(TestData.length(1));
        assertThat(Files.exists(dir.resolve(LeRobotDatasetWriter.STAGING))).isFalse();
    }

    @Test
    void startsNewFilesAtTheCap() throws Exception {
        Path dir = tmp.resolve("big");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options().withDataFilesSizeInMb(1))) {
            // Random-looking floats do not compress: about 0.4 MB per episode.
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
            for (int e = 0; e < 5; e++) {
                for (int k = 0; k < 15000; k++) {
                    float[] st = new float[TestData.STATE];
                    for (int j = 0; j < st.length; j++) {
                        st[j] = (float) rnd.nextDouble();
                    }
                    w.addFrame(java.util.Map.of("observation.state", st, "action", new float[TestData.ACTION],
                            "next.reward", 0f, "next.done", false));
                }
                w.saveEpisode("t");
            }
        }
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.dataFiles().size()).isBetween(2, 5);
        for (Path p : ds.dataFiles()) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(1024 * 1024);
        }
        assertThat(ds.episodes().get(4).dataFile()).isGreaterThan(0);
        assertThat(DatasetValidator.validate(dir).errors()).isEmpty();
    }

    @Test
    void resumeContinuesAndNothingIsOverwrittenWithoutForce() {
        Path dir = write(2, 100);
        assertThatThrownBy(() -> LeRobotDatasetWriter.create(dir, TestData.options()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--resume");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(dir)) {
            assertThat(w.episodeCount()).isEqualTo(2);
            TestData.writeEpisode(w, 2);
        }
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.episodes()).hasSize(3);
        assertThat(ds.readEpisode(2).floats("observation.state").get(0, 0)).isEqualTo(TestData.state(2, 0, 0));
        assertThat(DatasetValidator.validate(dir).issues()).isEmpty();
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options().withForce(true))) {
            assertThat(w.episodeCount()).isZero();
        }
        assertThat(LeRobotDataset.open(dir).episodes()).isEmpty();
    }

    @Test
    void rejectsFramesThatDoNotMatchTheFeatures() {
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(tmp.resolve("bad"), TestData.options())) {
            assertThatThrownBy(() -> w.addFrame(java.util.Map.of("observation.state", new float[2], "action", new float[4],
                    "next.reward", 0f, "next.done", false)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("observation.state").hasMessageContaining("6 elements");
            assertThatThrownBy(() -> w.saveEpisode("t")).hasMessageContaining("at least one frame");
        }
    }

    @Test
    void duckDbReadsTheFiles() throws Exception {
        Path dir = write(4, 100);
        long frames = LeRobotDataset.open(dir).info().totalFrames();
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT count(*), max(\"index\"), sum(len(\"observation.state\")), "
                    + "typeof(any_value(\"observation.state\")), typeof(any_value(timestamp)) FROM read_parquet('"
                    + dir.resolve("data") + "/*/*.parquet')");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(frames);
            assertThat(rs.getLong(2)).isEqualTo(frames - 1);
            assertThat(rs.getLong(3)).isEqualTo(frames * TestData.STATE);
            assertThat(rs.getString(4)).isEqualTo("FLOAT[]");
            assertThat(rs.getString(5)).isEqualTo("FLOAT");
            rs = st.executeQuery("SELECT count(*), min(episode_index), list(tasks[1] ORDER BY episode_index)[2] FROM read_parquet('"
                    + dir.resolve("meta/episodes") + "/*/*.parquet')");
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(4);
            assertThat(rs.getString(3)).isEqualTo("lift the cube");
            rs = st.executeQuery("SELECT task FROM read_parquet('" + dir.resolve("meta/tasks.parquet") + "') WHERE task_index = 1");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("lift the cube");
            // And Kiban reads what DuckDB writes.
            Path theirs = tmp.resolve("duck.parquet");
            st.execute("COPY (SELECT i::BIGINT AS \"index\", [i::FLOAT, 2*i::FLOAT] AS v FROM range(1000) t(i)) TO '" + theirs
                    + "' (FORMAT parquet)");
            Table t = ParquetTables.read(theirs, Set.of("index", "v"));
            assertThat(t.rows()).isEqualTo(1000);
            assertThat(t.floats("v").get(999, 1)).isEqualTo(1998f);
            // Lists of varying length are refused, whichever decoder sees them.
            Path ragged = tmp.resolve("ragged.parquet");
            st.execute("COPY (SELECT CASE WHEN i % 7 = 3 THEN [i::FLOAT] ELSE [i::FLOAT, 1::FLOAT] END AS v FROM range(5000) t(i)) TO '"
                    + ragged + "' (FORMAT parquet)");
            assertThatThrownBy(() -> ParquetTables.read(ragged)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("ragged.parquet").hasMessageContaining("lists of one fixed length");
        }
    }
}
