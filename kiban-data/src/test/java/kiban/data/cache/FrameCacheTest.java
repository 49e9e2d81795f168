package kiban.data.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import kiban.data.lerobot.Feature;
import kiban.data.lerobot.LeRobotDataset;
import kiban.data.lerobot.LeRobotDatasetWriter;
import kiban.data.video.RgbFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frame cache against ffmpeg's direct decode of the same dataset, and its invalidation. */
class FrameCacheTest {

    static final String CAM = "observation.images.top";
    static final int H = 32;
    static final int W = 48;

    @TempDir
    Path tmp;

    /** A frame unique to (episode, frame, variant): a bar that moves over a gradient. */
    static RgbFrame frame(int episode, int k, int variant) {
        byte[] rgb = new byte[H * W * 3];
        int bar = (episode * 9 + k * 5 + variant * 17) % (W - 6);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int i = (y * W + x) * 3;
                boolean on = x >= bar && x < bar + 6;
                rgb[i] = (byte) (on ? 220 : 4 * x);
                rgb[i + 1] = (byte) (on ? 220 : 6 * y + 40 * variant);
                rgb[i + 2] = (byte) (20 + 15 * k);
            }
        }
        return new RgbFrame(H, W, rgb);
    }

    static Path write(Path dir, int episodes, int variant) {
        var options = LeRobotDatasetWriter.Options.of(10, "test_bot", List.of(Feature.of("observation.state", "float32", 2),
                Feature.of("action", "float32", 2), Feature.video(CAM, H, W, 10)));
        try (LeRobotDatasetWriter w = LeRobotDatasetWriter.create(dir, options)) {
            for (int e = 0; e < episodes; e++) {
                for (int k = 0; k < 6 + e; k++) {
                    w.addFrame(Map.of("observation.state", new float[] {e, k}, "action", new float[] {k, -k}, CAM,
                            frame(e, k, variant)));
                }
                w.saveEpisode("look at the bar");
            }
        }
        return dir;
    }

    static void assertSameAsDecode(FrameCache cache, LeRobotDataset ds) {
        assertThat(cache.episodes()).isEqualTo(ds.episodes().size());
        for (int e = 0; e < cache.episodes(); e++) {
            int n = (int) ds.episode(e).length();
            assertThat(cache.frames(e)).isEqualTo(n);
            List<RgbFrame> direct = ds.videoFrames(CAM, e, 0, n);
            for (int k = 0; k < n; k++) {
                assertThat(cache.frame(e, k)).as("episode %d frame %d", e, k).isEqualTo(direct.get(k).rgb());
            }
        }
    }

    @Test
    void givesTheDecodedPixelsByteForByteAndIsReusedByALaterOpen() {
        LeRobotDataset ds = LeRobotDataset.open(write(tmp.resolve("ds"), 3, 0));
        Path root = tmp.resolve("cache");
        FrameCache first = FrameCache.open(ds, CAM, root);
        assertThat(first.built()).isTrue();
        assertThat(first.file()).startsWith(root).isRegularFile();
        assertSameAsDecode(first, ds);

        FrameCache again = FrameCache.open(LeRobotDataset.open(tmp.resolve("ds")), CAM, root);
        assertThat(again.built()).isFalse();
        assertThat(again.file()).isEqualTo(first.file());
        assertSameAsDecode(again, ds);
    }

    @Test
    void isRebuiltWhenTheDatasetChanges() throws IOException {
        Path dir = tmp.resolve("ds");
        Path root = tmp.resolve("cache");
        FrameCache before = FrameCache.open(LeRobotDataset.open(write(dir, 2, 0)), CAM, root);
        deleteTree(dir);
        LeRobotDataset changed = LeRobotDataset.open(write(dir, 2, 1));
        FrameCache after = FrameCache.open(changed, CAM, root);
        assertThat(after.built()).isTrue();
        assertThat(after.file()).isEqualTo(before.file());
        assertThat(after.key()).isNotEqualTo(before.key());
        assertSameAsDecode(after, changed);
        assertThat(after.frame(0, 0)).isNotEqualTo(before.frame(0, 0));
    }

    @Test
    void aTruncatedCacheIsNeverReadButRebuilt() throws IOException {
        LeRobotDataset ds = LeRobotDataset.open(write(tmp.resolve("ds"), 2, 0));
        Path root = tmp.resolve("cache");
        Path file = FrameCache.open(ds, CAM, root).file();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 7);
        }
        FrameCache rebuilt = FrameCache.open(ds, CAM, root);
        assertThat(rebuilt.built()).isTrue();
        assertSameAsDecode(rebuilt, ds);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
