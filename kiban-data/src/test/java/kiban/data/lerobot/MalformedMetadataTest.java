package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.data.parquet.ParquetTables;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or broken metadata (a Parquet footer, info.json) is an error naming the file and the
 * field, from {@link LeRobotDataset#open} and as a validation error, never a runtime exception or
 * an OutOfMemoryError.
 */
class MalformedMetadataTest {

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    static Path original;

    @BeforeAll
    static void dataset() {
        original = shared.resolve("ds");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(original, TestData.options())) {
            for (int e = 0; e < 3; e++) {
                TestData.writeEpisode(w, e);
            }
        }
    }

    private Path copy() throws IOException {
        Path dir = tmp.resolve("copy");
        try (var s = Files.walk(original)) {
            for (Path p : s.toList()) {
                Path target = dir.resolve(original.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return dir;
    }

    /** Rewrites a Parquet file's footer (Thrift FileMetaData) with {@code edit}, keeping the pages. */
    static void editFooter(Path file, Consumer<FileMetaData> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int footerLength = ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int footerStart = bytes.length - 8 - footerLength;
        FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(bytes, footerStart, footerLength));
        edit.accept(md);
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        Util.writeFileMetaData(md, footer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, footerStart);
        footer.writeTo(out);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
        out.write(new byte[] {'P', 'A', 'R', '1'});
        Files.write(file, out.toByteArray());
    }

    @Test
    void aFooterClaimingTwoBillionRowsIsRefusedBeforeAnythingIsAllocated() throws IOException {
        Path dir = copy();
        Path data = dir.resolve("data/chunk-000/file-000.parquet");
        editFooter(data, md -> {
            md.setNum_rows(2_000_000_000L);
            for (RowGroup g : md.getRow_groups()) {
                g.setNum_rows(2_000_000_000L / md.getRow_groups().size());
            }
        });
        assertThatThrownBy(() -> ParquetTables.read(data)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(data.toString()).hasMessageContaining("num_rows").hasMessageContaining("2000000000");
        assertThatThrownBy(() -> ParquetTables.rowCount(data)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("num_rows");
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.errors()).anyMatch(i -> "data/chunk-000/file-000.parquet".equals(i.file()) && i.message().contains("num_rows"));
    }

    @Test
    void aFooterClaimingMoreRowsThanItsPagesHoldIsRefused() throws IOException {
        Path dir = copy();
        Path data = dir.resolve("data/chunk-000/file-000.parquet");
        long rows = ParquetTables.rowCount(data);
        editFooter(data, md -> {
            md.setNum_rows(rows + 7);
            md.getRow_groups().getLast().setNum_rows(md.getRow_groups().getLast().getNum_rows() + 7);
        });
        assertThatThrownBy(() -> ParquetTables.read(data)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(data.toString()).hasMessageContaining((rows + 7) + " rows, as the footer declares");
        assertThat(DatasetValidator.validate(dir).valid()).isFalse();
    }

    private static void editInfo(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path f = dir.resolve("meta/info.json");
        ObjectNode o = (ObjectNode) Json.readTree(f);
        edit.accept(o);
        Files.writeString(f, Json.pretty(o));
    }

    /** info.json fields that must be refused, each with the field the error must name. */
    record Bad(String field, Consumer<ObjectNode> edit, String says) {
    }

    static final List<Bad> BAD_INFO = List.of(
            new Bad("data_path", o -> o.put("data_path", "data/chunk-{chunk_index:03d/file-{file_index:03d}.parquet"), "is closed"),
            new Bad("data_path", o -> o.put("data_path", "data/chunk-{chunk_index:03d}}/file.parquet"), "closes a '{'"),
            new Bad("data_path", o -> o.put("data_path", "data/{chunk_index:0999999999d}/{file_index}.parquet"), "width of at most 32"),
            new Bad("data_path", o -> o.put("data_path", "data/{chunk_index:033d}/{file_index}.parquet"), "width of at most 32"),
            new Bad("data_path", o -> o.put("data_path", "data/{chunk_index:%n}/{file_index}.parquet"), "[0][width]d"),
            new Bad("data_path", o -> o.put("data_path", "data/{chunk_index:1$s}/{file_index}.parquet"), "[0][width]d"),
            new Bad("data_path", o -> o.put("data_path", "data/{secret}/{file_index}.parquet"), "placeholders among"),
            new Bad("data_path", o -> o.put("data_path", "/etc/kiban/{chunk_index}/{file_index}.parquet"), "relative path"),
            new Bad("data_path", o -> o.put("data_path", "../../elsewhere/{chunk_index}/{file_index}.parquet"), "relative path"),
            new Bad("data_path", o -> o.put("data_path", "data/{chunk_index}/../../../{file_index}.parquet"), "relative path"),
            new Bad("data_path", o -> o.put("data_path", "data\\{chunk_index}\\{file_index}.parquet"), "relative path"),
            new Bad("data_path", o -> o.put("data_path", "C:/data/{chunk_index}/{file_index}.parquet"), "relative path"),
            new Bad("data_path", o -> o.put("data_path", ""), "relative path"),
            new Bad("data_path", o -> o.put("data_path", 7), "a string"),
            new Bad("video_path", o -> o.put("video_path", "/tmp/{video_key}/{chunk_index}.mp4"), "relative path"),
            new Bad("video_path", o -> o.put("video_path", "videos/{video_key}/{chunk_index:03d"), "is closed"),
            new Bad("chunks_size", o -> o.put("chunks_size", 0), "from 1"),
            new Bad("chunks_size", o -> o.put("chunks_size", -5), "from 1"),
            new Bad("chunks_size", o -> o.put("chunks_size", 2.5), "from 1"),
            new Bad("chunks_size", o -> o.put("chunks_size", "1000"), "from 1"),
            new Bad("chunks_size", o -> o.put("chunks_size", 1e12), "from 1"),
            new Bad("data_files_size_in_mb", o -> o.put("data_files_size_in_mb", 0), "from 1"),
            new Bad("video_files_size_in_mb", o -> o.put("video_files_size_in_mb", -1), "from 1"),
            new Bad("fps", o -> o.put("fps", 1e12), "from 1 to 100000"),
            new Bad("features.observation.state.shape", o -> ((ObjectNode) o.get("features").get("observation.state")).putArray("shape")
                    .add(100000).add(100000).add(100000), "elements per frame"),
            new Bad("features.../../escape", o -> ((ObjectNode) o.get("features")).set("../../escape",
                    Json.parseTree("{\"dtype\": \"video\", \"shape\": [8, 8, 3]}", "t")), "one folder"),
            new Bad("features.a/b", o -> ((ObjectNode) o.get("features")).set("a/b",
                    Json.parseTree("{\"dtype\": \"video\", \"shape\": [8, 8, 3]}", "t")), "one folder"));

    @Test
    void everyMalformedInfoFieldIsAnErrorNamingTheFileAndTheField() throws IOException {
        Path dir = copy();
        Path info = dir.resolve("meta/info.json");
        String good = Files.readString(info);
        for (Bad bad : BAD_INFO) {
            Files.writeString(info, good);
            editInfo(dir, bad.edit());
            assertThatThrownBy(() -> LeRobotDataset.open(dir)).as(bad.toString()).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(info.toString()).hasMessageContaining("'" + bad.field() + "'")
                    .hasMessageContaining(bad.says());
            ValidationReport r = DatasetValidator.validate(dir);
            assertThat(r.errors()).as(bad.toString()).singleElement()
                    .satisfies(i -> assertThat(i.message()).contains(bad.field()).contains(bad.says()));
        }
    }

    @Test
    void goodTemplatesStillFormatAsPythonDoes() {
        var values = java.util.Map.<String, Object>of("chunk_index", 3, "file_index", 12, "video_key", "observation.images.top",
                "episode_chunk", 0, "episode_index", 42);
        assertThat(DatasetInfo.format(DatasetInfo.V3_DATA_PATH, values)).isEqualTo("data/chunk-003/file-012.parquet");
        assertThat(DatasetInfo.format(DatasetInfo.V3_VIDEO_PATH, values))
                .isEqualTo("videos/observation.images.top/chunk-003/file-012.mp4");
        assertThat(DatasetInfo.format("data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet", values))
                .isEqualTo("data/chunk-000/episode_000042.parquet");
        assertThat(DatasetInfo.format("d/{file_index:d}-{file_index:4d}-{file_index}", values)).isEqualTo("d/12-  12-12");
    }
}
