package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.data.parquet.ParquetTables;
import kiban.data.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Datasets whose Parquet files pandas and pyarrow wrote (as LeRobot's own recorder does) load,
 * validate and resume: the task strings in a pandas index column, {@code __index_level_0__} columns,
 * {@code list<item>} lists and dictionary-encoded pages.
 */
class PandasWrittenDatasetTest {

    /**
     * meta/tasks.parquet of a LeRobot v3.0 recording as LeRobot wrote it before March 2026
     * (an unnamed DataFrame index holding the two task strings); made by
     * {@link PyArrowStyle#writeTasks} with TestData's tasks.
     */
    static final String TASKS_RESOURCE = "/pandas/tasks-unnamed-index.parquet";

    /**
     * The same tasks written by pandas 2.3.3 with pyarrow 25.0.1 themselves (parquet-cpp, dictionary
     * pages, format 2.6), as LeRobot's {@code write_tasks} does:
     * {@code pd.DataFrame({"task_index": [0, 1]}, index=["push the block", "lift the cube"]).to_parquet(path)}.
     */
    static final String TASKS_BY_PANDAS = "/pandas/tasks-by-pandas-2.3.3-pyarrow-25.0.1.parquet";

    @TempDir
    Path tmp;

    private Path dataset(int episodes) {
        Path dir = tmp.resolve("ds");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options())) {
            for (int e = 0; e < episodes; e++) {
                TestData.writeEpisode(w, e);
            }
        }
        return dir;
    }

    private static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = PandasWrittenDatasetTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void theResourceIsWhatPyArrowWritesForAnUnnamedIndex() throws IOException {
        Path file = tmp.resolve("tasks.parquet");
        copyResource(TASKS_RESOURCE, file);
        assertThat(ParquetTables.keyValueMetadata(file)).containsEntry("pandas", PyArrowStyle.TASKS_PANDAS_METADATA);
        assertThat(ParquetTables.schema(file).getFields()).extracting(f -> f.getName())
                .containsExactly("task_index", "__index_level_0__");
        assertThat(ParquetTables.read(file).columns().keySet()).containsExactly("task_index", "__index_level_0__");
    }

    @ParameterizedTest
    @ValueSource(strings = {TASKS_RESOURCE, TASKS_BY_PANDAS})
    void tasksInAnUnnamedPandasIndexLoad(String resource) throws IOException {
        Path dir = dataset(3);
        copyResource(resource, dir.resolve("meta/tasks.parquet"));
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.tasks()).containsExactly("push the block", "lift the cube");
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.issues()).as(r.issues().toString()).isEmpty();
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(dir)) {
            TestData.writeEpisode(w, 3);
        }
        assertThat(LeRobotDataset.open(dir).tasks()).containsExactly("push the block", "lift the cube");
        assertThat(DatasetValidator.validate(dir).issues()).isEmpty();
    }

    @Test
    void anIndexColumnOfAnyNameThatPandasNamesHoldsTheTasks() {
        Path dir = dataset(2);
        Path file = dir.resolve("meta/tasks.parquet");
        var cols = new java.util.LinkedHashMap<String, kiban.data.table.Column>();
        cols.put("task_index", kiban.data.table.LongColumn.scalar(new long[] {1, 0}));
        cols.put("description", new kiban.data.table.StringColumn(new String[] {"lift the cube", "push the block"}));
        PyArrowStyle.write(file, Table.of(cols), Map.of("pandas", PyArrowStyle.TASKS_PANDAS_METADATA.replace("__index_level_0__",
                "description")));
        assertThat(LeRobotDataset.open(dir).tasks()).containsExactly("push the block", "lift the cube");
        // Without the pandas metadata nothing says which column holds the strings.
        PyArrowStyle.write(file, Table.of(cols), Map.of());
        assertThatThrownBy(() -> LeRobotDataset.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("pandas index column")
                .hasMessageContaining("[task_index, description]");
        // Malformed pandas metadata names the file.
        PyArrowStyle.write(file, Table.of(cols), Map.of("pandas", "{\"index_columns\": [\"description\""));
        assertThatThrownBy(() -> LeRobotDataset.open(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("pandas");
    }

    @Test
    void columnsOfKindsKibanDoesNotReadAreLeftOutOfMetadataTables() {
        Path dir = dataset(2);
        Path episodes = dir.resolve(MetaFiles.EPISODES_FILE);
        PyArrowStyle.rewriteWithInt96Column(episodes, "recorded_at");
        PyArrowStyle.rewriteWithInt96Column(dir.resolve("meta/tasks.parquet"), "created_at");
        assertThat(ParquetTables.schema(episodes).containsField("recorded_at")).isTrue();
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.episodes()).hasSize(2);
        assertThat(ds.tasks()).containsExactly("push the block", "lift the cube");
        assertThat(DatasetValidator.validate(dir).issues()).isEmpty();
        // Asked for by name, such a column is an error naming it.
        assertThatThrownBy(() -> ParquetTables.read(episodes, java.util.Set.of("recorded_at")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("recorded_at").hasMessageContaining("int96");
    }

    @Test
    void aDatasetInPyArrowsLayoutLoadsValidatesAndResumes() {
        Path dir = dataset(3);
        for (Path p : MetaFiles.listParquet(dir.resolve("data"))) {
            PyArrowStyle.rewriteWithIndexColumn(p);
        }
        PyArrowStyle.rewriteWithIndexColumn(dir.resolve(MetaFiles.EPISODES_FILE));
        PyArrowStyle.writeTasks(dir.resolve("meta/tasks.parquet"), List.of("push the block", "lift the cube"));
        Path data = dir.resolve("data/chunk-000/file-000.parquet");
        assertThat(PyArrowStyle.listElementNamedItem(data, "observation.state")).isTrue();
        assertThat(ParquetTables.schema(data).containsField("__index_level_0__")).isTrue();

        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.issues()).as(r.issues().toString()).isEmpty();
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.episodes().get(2).tasks()).containsExactly("push the block");
        assertThat(ds.readEpisode(1).floats("observation.state").get(3, 5)).isEqualTo(TestData.state(1, 3, 5));

        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(dir)) {
            TestData.writeEpisode(w, 3);
            TestData.writeEpisode(w, 4);
        }
        r = DatasetValidator.validate(dir);
        assertThat(r.issues()).as(r.issues().toString()).isEmpty();
        ds = LeRobotDataset.open(dir);
        assertThat(ds.episodes()).hasSize(5);
        for (int e = 0; e < 5; e++) {
            Table t = ds.readEpisode(e);
            assertThat(t.rows()).isEqualTo(TestData.length(e));
            assertThat(t.floats("observation.state").get(t.rows() - 1, 2)).isEqualTo(TestData.state(e, t.rows() - 1, 2));
        }
        // pyarrow's file is left as it was; the new episodes start a file of Kiban's schema.
        assertThat(ParquetTables.schema(data).containsField("__index_level_0__")).isTrue();
        assertThat(ds.episodes().get(3).dataFile()).isEqualTo(1);
    }
}
