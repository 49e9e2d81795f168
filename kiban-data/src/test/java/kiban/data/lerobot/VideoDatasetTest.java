package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import kiban.core.json.Json;
import kiban.data.video.RgbFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Camera video as LeRobot stores it: encoded per episode, appended to shared mp4s, decoded frame-accurately. */
class VideoDatasetTest {

    static final String CAM = "observation.images.top";
    static final int H = 96;
    static final int W = 96;
    static final int FPS = 10;

    @TempDir
    Path tmp;

    static int length(int episode) {
        return episode % 2 == 0 ? 12 : 9;
    }

    /** A frame unique to (episode, frame): a grey bar that moves 12 px per frame over a gradient, blue rising per frame. */
    static RgbFrame frame(int episode, int k) {
        byte[] rgb = new byte[H * W * 3];
        int bar = (episode * 36 + k * 12) % (W - 12);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = (y * W + x) * 3;
                boolean on = x >= bar && x < bar + 12;
                rgb[i] = (byte) (on ? 220 : 2 * x);
                rgb[i + 1] = (byte) (on ? 220 : 2 * y);
                rgb[i + 2] = (byte) (on ? 220 : 20 + 15 * k);
            }
        }
        return new RgbFrame(H, W, rgb);
    }

    static LeRobotDatasetWriter.Options options() {
        return LeRobotDatasetWriter.Options.of(FPS, "test_bot", List.of(Feature.of("observation.state", "float32", 2),
                Feature.of("action", "float32", 2), Feature.video(CAM, H, W, FPS)));
    }

    static void writeEpisode(LeRobotDatasetWriter w, int e) {
        for (int k = 0; k < length(e); k++) {
            w.addFrame(Map.of("observation.state", new float[] {e, k}, "action", new float[] {k, -k}, CAM, frame(e, k)));
        }
        w.saveEpisode("look at the bar");
    }

    private static void assertDecodesExactly(LeRobotDataset ds, int e) {
        List<RgbFrame> frames = ds.videoFrames(CAM, e, 0, length(e));
        for (int k = 0; k < frames.size(); k++) {
            double own = frames.get(k).meanAbsError(frame(e, k));
            assertThat(own).as("episode %d frame %d", e, k).isLessThan(4.0);
            for (int other : new int[] {k - 1, k + 1}) {
                if (other >= 0 && other < length(e)) {
                    assertThat(frames.get(k).meanAbsError(frame(e, other))).as("frame %d vs %d", k, other).isGreaterThan(2 * own + 4);
                }
            }
        }
    }

    @Test
    void episodesShareAnMp4AndEveryFrameDecodesToItself() {
        Path dir = tmp.resolve("ds");
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, options())) {
            writeEpisode(w, 0);
            writeEpisode(w, 1);
        }
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.issues()).as(r.issues().toString()).isEmpty();
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.parquetColumns()).doesNotContain(CAM);
        JsonNode info = Json.readTree(dir.resolve("meta/info.json"));
        assertThat(info.path("video_path").asText()).isEqualTo(DatasetInfo.V3_VIDEO_PATH);
        JsonNode f = info.path("features").path(CAM);
        assertThat(f.path("dtype").asText()).isEqualTo("video");
        assertThat(f.path("shape").toString()).isEqualTo("[96,96,3]");
        assertThat(f.path("info").path("video.fps").asInt()).isEqualTo(FPS);
        assertThat(f.path("info").path("video.pix_fmt").asText()).isEqualTo("yuv420p");

        EpisodeInfo.VideoSpan s0 = ds.episode(0).videos().get(CAM);
        EpisodeInfo.VideoSpan s1 = ds.episode(1).videos().get(CAM);
        assertThat(s0).isEqualTo(new EpisodeInfo.VideoSpan(0, 0, 0.0, 1.2));
        assertThat(s1.file()).isZero();
        assertThat(s1.fromTimestamp()).isEqualTo(1.2);
        assertThat(s1.toTimestamp()).isEqualTo(1.2 + 0.9);
        assertThat(Files.exists(dir.resolve("videos/" + CAM + "/chunk-000/file-001.mp4"))).isFalse();

        assertDecodesExactly(ds, 0);
        assertDecodesExactly(ds, 1);
        assertThat(ds.videoFrame(CAM, 1, 4).meanAbsError(frame(1, 4))).isLessThan(4.0);
        assertThat(ds.videoFrameAt(CAM, 1, 0.4).meanAbsError(frame(1, 4))).isLessThan(4.0);
        assertThat(ds.videoFrameAt(CAM, 1, 0.45).meanAbsError(frame(1, 4))).isLessThan(4.0);
        assertThat(ds.videoFrame(CAM, 0, 11).meanAbsError(frame(0, 11))).isLessThan(4.0);
        assertThatThrownBy(() -> ds.videoFrame(CAM, 1, 9)).isInstanceOf(InvalidInputException.class).hasMessageContaining("frames");
    }

    @Test
    void aWrongSizedFrameIsRejectedBeforeAnythingIsBuffered() {
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(tmp.resolve("bad"), options())) {
            assertThatThrownBy(() -> w.addFrame(Map.of("observation.state", new float[2], "action", new float[2], CAM, new byte[10])))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("27648 bytes");
            assertThatThrownBy(() -> w.addFrame(Map.of("observation.state", new float[2], "action", new float[2])))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining(CAM);
            assertThat(w.pendingFrames()).isZero();
        }
    }

    /** The state a kill leaves after the episode's video was appended but before info.json committed it. */
    @Test
    void anUncommittedVideoTailIsIgnoredThenCutOnResume() {
        Path dir = tmp.resolve("window");
        Path info = dir.resolve("meta/info.json");
        String committed;
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, options())) {
            writeEpisode(w, 0);
            writeEpisode(w, 1);
            committed = readString(info);
            writeEpisode(w, 2);
        }
        writeString(info, committed);
        ValidationReport r = DatasetValidator.validate(dir);
        assertThat(r.errors()).as(r.issues().toString()).isEmpty();
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(dir)) {
            assertThat(w.episodeCount()).isEqualTo(2);
            writeEpisode(w, 2);
            writeEpisode(w, 3);
        }
        r = DatasetValidator.validate(dir);
        assertThat(r.issues()).as(r.issues().toString()).isEmpty();
        LeRobotDataset ds = LeRobotDataset.open(dir);
        assertThat(ds.episode(3).videos().get(CAM).toTimestamp()).isCloseTo(4.2, org.assertj.core.data.Offset.offset(1e-9));
        assertDecodesExactly(ds, 2);
        assertDecodesExactly(ds, 3);
    }

    /** A writer process killed with SIGKILL while appending videos leaves a valid dataset that resumes. */
    @Test
    void aKillNineWhileWritingVideoLeavesAValidDataset() throws Exception {
        Path dir = tmp.resolve("killed");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int saved = 0;
        for (String mode : List.of("create", "resume")) {
            Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), VideoCrashWriterMain.class.getName(),
                    dir.toString(), mode).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                int target = saved + 3;
                String line;
                while (saved < target && (line = r.readLine()) != null) {
                    if (line.startsWith("saved ")) {
                        saved = Integer.parseInt(line.substring(6).trim());
                    }
                }
                Thread.sleep(mode.equals("create") ? 40 : 5);
                p.destroyForcibly();
                p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            ValidationReport v = DatasetValidator.validate(dir);
            assertThat(v.errors()).as(v.issues().toString()).isEmpty();
            assertThat(LeRobotDataset.open(dir).episodes().size()).isGreaterThanOrEqualTo(saved);
        }
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.resume(dir)) {
            writeEpisode(w, w.episodeCount());
        }
        ValidationReport v = DatasetValidator.validate(dir);
        assertThat(v.issues()).as(v.issues().toString()).isEmpty();
        LeRobotDataset ds = LeRobotDataset.open(dir);
        int last = ds.episodes().size() - 1;
        assertDecodesExactly(ds, last);
        assertDecodesExactly(ds, last - 1);
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeString(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
