package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.data.parquet.ParquetTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken datasets give errors that name the file and what is wrong. */
class BadInputTest {

    @TempDir
    Path tmp;

    private Path dataset() {
        Path dir = tmp.resolve("ds");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, TestData.options())) {
            for (int e = 0; e < 3; e++) {
                TestData.writeEpisode(w, e);
            }
        }
        return dir;
    }

    private static void editInfo(Path dir, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path f = dir.resolve("meta/info.json");
        ObjectNode o = (ObjectNode) Json.readTree(f);
        edit.accept(o);
        Files.writeString(f, Json.pretty(o));
    }

    @Test
    void truncatedParquetNamesTheFile() throws IOException {
        Path dir = dataset();
        Path data = dir.resolve("data/chunk-000/file-000.parquet");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ParquetTables.read(data))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(data.toString()).hasMessageContaining("corrupt or truncated");
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.valid()).isFalse();
        assertThat(r.errors().get(0).file()).isEqualTo("data/chunk-000/file-000.parquet");
        assertThat(r.errors().get(0).message()).contains("corrupt or truncated");
    }

    @Test
    void garbageInTheMiddleOfAPageIsReported() throws IOException {
        Path dir = dataset();
        Path data = dir.resolve("data/chunk-000/file-000.parquet");
        byte[] bytes = Files.readAllBytes(data);
        for (int i = 8; i < bytes.length / 2; i++) {
            bytes[i] = (byte) 0x5A;
        }
        Files.write(data, bytes);
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.valid()).isFalse();
        assertThat(r.errors().get(0).toString()).contains("data/chunk-000/file-000.parquet");
    }

    @Test
    void infoDisagreeingWithTheDataIsReported() throws IOException {
        Path dir = dataset();
        editInfo(dir, o -> o.put("total_frames", 12345));
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.errors()).anyMatch(i -> i.file().equals("meta/info.json") && i.message().contains("total_frames is 12345"));
        editInfo(dir, o -> o.put("total_frames", LeRobotDataset.open(dir).totalFrames()).put("fps", 20));
        r = DatasetValidator.validate(dir);
        assertThat(r.errors()).anyMatch(i -> i.message().startsWith("timestamp") && i.episode() == 0 && i.frame() == 1L);
        editInfo(dir, o -> {
            o.put("fps", 10);
            ((ObjectNode) o.get("features").get("action")).putArray("shape").add(7);
        });
        r = DatasetValidator.validate(dir);
        assertThat(r.errors()).anyMatch(i -> i.message().contains("'action' has 4 elements per frame, features say [7]"));
    }

    @Test
    void missingEpisodesMetadataNamesTheFolderAndTheExpectedFile() throws IOException {
        Path dir = dataset();
        Files.delete(dir.resolve(MetaFiles.EPISODES_FILE));
        assertThatThrownBy(() -> LeRobotDataset.open(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(dir.resolve("meta/episodes").toString())
                .hasMessageContaining("episode parquet files such as meta/episodes/chunk-000/file-000.parquet");
    }

    @Test
    void unknownVersionIsAnError() throws IOException {
        Path dir = dataset();
        editInfo(dir, o -> o.put("codebase_version", "v9.9"));
        assertThatThrownBy(() -> LeRobotDataset.open(dir))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("info.json").hasMessageContaining("codebase_version").hasMessageContaining("'v9.9'");
        assertThat(DatasetValidator.validate(dir).errors().get(0).message()).contains("v9.9");
    }

    @Test
    void missingVideoIsReportedWithEpisodeAndFile() throws IOException {
        Path dir = tmp.resolve("v21");
        Files.createDirectories(dir.resolve("meta"));
        Files.createDirectories(dir.resolve("data/chunk-000"));
        Files.createDirectories(dir.resolve("videos/chunk-000/observation.images.top"));
        // A minimal v2.1 dataset of two one-frame episodes; only episode 0 has its video.
        ObjectNode info = Json.object();
        info.put("codebase_version", "v2.1").put("robot_type", "x").put("total_episodes", 2).put("total_frames", 2)
                .put("total_tasks", 1).put("chunks_size", 1000).put("fps", 10)
                .put("data_path", "data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet")
                .put("video_path", "videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4");
        ObjectNode f = info.putObject("features");
        f.set("observation.images.top", Json.parseTree("{\"dtype\":\"video\",\"shape\":[8,8,3],\"names\":null}", "t"));
        f.set("observation.state", Json.parseTree("{\"dtype\":\"float32\",\"shape\":[2],\"names\":null}", "t"));
        f.set("timestamp", Json.parseTree("{\"dtype\":\"float32\",\"shape\":[1],\"names\":null}", "t"));
        for (String c : new String[] {"frame_index", "episode_index", "index", "task_index"}) {
            f.set(c, Json.parseTree("{\"dtype\":\"int64\",\"shape\":[1],\"names\":null}", "t"));
        }
        Files.writeString(dir.resolve("meta/info.json"), Json.pretty(info));
        Files.writeString(dir.resolve("meta/tasks.jsonl"), "{\"task_index\": 0, \"task\": \"t\"}\n");
        Files.writeString(dir.resolve("meta/episodes.jsonl"),
                "{\"episode_index\": 0, \"tasks\": [\"t\"], \"length\": 1}\n{\"episode_index\": 1, \"tasks\": [\"t\"], \"length\": 1}\n");
        StringBuilder stats = new StringBuilder();
        for (int e = 0; e < 2; e++) {
            var m = new java.util.LinkedHashMap<String, kiban.data.table.Column>();
            m.put("observation.state", new kiban.data.table.FloatColumn(new float[] {1, 2}, 2, true));
            m.put("timestamp", new kiban.data.table.FloatColumn(new float[] {0}, 1, false));
            m.put("frame_index", kiban.data.table.LongColumn.scalar(new long[] {0}));
            m.put("episode_index", kiban.data.table.LongColumn.scalar(new long[] {e}));
            m.put("index", kiban.data.table.LongColumn.scalar(new long[] {e}));
            m.put("task_index", kiban.data.table.LongColumn.scalar(new long[] {0}));
            ParquetTables.write(dir.resolve("data/chunk-000/episode_00000" + e + ".parquet"), kiban.data.table.Table.of(m),
                    java.util.Map.of());
            stats.append("{\"episode_index\": ").append(e).append(", \"stats\": {");
            String one = "{\"min\":[0],\"max\":[0],\"mean\":[0],\"std\":[0],\"count\":[1]}";
            stats.append("\"observation.state\": {\"min\":[1,2],\"max\":[1,2],\"mean\":[1,2],\"std\":[0,0],\"count\":[1]}");
            for (String c : new String[] {"timestamp", "frame_index", "task_index"}) {
                stats.append(", \"").append(c).append("\": ").append(one);
            }
            stats.append(", \"episode_index\": {\"min\":[").append(e).append("],\"max\":[").append(e).append("],\"mean\":[").append(e)
                    .append("],\"std\":[0],\"count\":[1]}");
            stats.append(", \"index\": {\"min\":[").append(e).append("],\"max\":[").append(e).append("],\"mean\":[").append(e)
                    .append("],\"std\":[0],\"count\":[1]}}}\n");
        }
        Files.writeString(dir.resolve("meta/episodes_stats.jsonl"), stats);
        Path video0 = dir.resolve("videos/chunk-000/observation.images.top/episode_000000.mp4");
        Files.write(video0, new byte[] {0});
        ValidationReport corrupt = DatasetValidator.validate(dir);
        assertThat(corrupt.errors()).anyMatch(i -> i.episode() != null && i.episode() == 0
                && i.message().contains("an MP4 file") && i.file().endsWith("episode_000000.mp4"));
        Files.write(video0, tinyMp4(100));
        assertThat(kiban.data.video.Mp4Info.durationSeconds(video0)).isEqualTo(0.1);

        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.errors()).hasSize(2);
        assertThat(r.errors().get(0).file()).isEqualTo("videos/chunk-000/observation.images.top/episode_000001.mp4");
        assertThat(r.errors().get(0).episode()).isEqualTo(1);
        assertThat(r.errors().get(0).message()).contains("missing video");
        assertThatThrownBy(() -> DatasetConverter.toV30(dir, tmp.resolve("out"), false, true))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1 of 2 episode videos missing")
                .hasMessageContaining("episode_000001.mp4");
        assertThat(tmp.resolve("out")).doesNotExist();
        DatasetConverter.Result res = DatasetConverter.toV30(dir, tmp.resolve("out"), false, false);
        assertThat(res.droppedVideoFeatures()).containsExactly("observation.images.top");
        assertThat(DatasetValidator.validate(tmp.resolve("out")).issues()).isEmpty();
        // With every video present the feature is carried, one mp4 per episode.
        Files.write(dir.resolve("videos/chunk-000/observation.images.top/episode_000001.mp4"), tinyMp4(100));
        Path full = tmp.resolve("full");
        assertThat(DatasetConverter.toV30(dir, full, false, true).droppedVideoFeatures()).isEmpty();
        assertThat(DatasetValidator.validate(full).issues()).isEmpty();
        LeRobotDataset v3 = LeRobotDataset.open(full);
        assertThat(v3.info().videoPath()).isEqualTo(DatasetInfo.V3_VIDEO_PATH);
        assertThat(v3.videoFile("observation.images.top", v3.episode(1)))
                .isEqualTo(full.resolve("videos/observation.images.top/chunk-000/file-001.mp4")).exists();
        assertThat(v3.episode(1).videos().get("observation.images.top").toTimestamp()).isEqualTo(0.1);
    }

    /** An MP4 holding only ftyp and moov/mvhd (version 0) with a duration in milliseconds. */
    static byte[] tinyMp4(int durationMs) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + 8 + 108);
        b.putInt(16).put("ftypisom".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0);
        b.putInt(8 + 108).put("moov".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(108).put("mvhd".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.putInt(0).putInt(0).putInt(0).putInt(1000).putInt(durationMs);
        return b.array();
    }
}
