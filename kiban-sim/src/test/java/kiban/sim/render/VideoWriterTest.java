package kiban.sim.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import kiban.sim.env.Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoWriterTest {

    private static List<Image> frames(int n, int h, int w) {
        List<Image> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] rgb = new byte[h * w * 3];
            for (int p = 0; p < h * w; p++) {
                rgb[p * 3] = (byte) (i * 20);
                rgb[p * 3 + 2] = (byte) 200;
            }
            out.add(new Image(h, w, rgb));
        }
        return out;
    }

    @Test
    void writesAnAnimatedGifThatReadsBackFrameByFrame(@TempDir Path dir) throws Exception {
        Path gif = dir.resolve("a.gif");
        VideoWriter.write(gif, frames(5, 16, 24), 10);
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(5);
            assertThat(reader.read(0).getWidth()).isEqualTo(24);
        }
    }

    @Test
    void writesAnMp4WithEvenDimensions(@TempDir Path dir) throws Exception {
        Path mp4 = dir.resolve("a.mp4");
        VideoWriter.write(mp4, frames(4, 17, 33), 10);
        byte[] head = Files.readAllBytes(mp4);
        assertThat(head.length).isGreaterThan(100);
        assertThat(new String(head, 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    }

    @Test
    void refusesOtherExtensions(@TempDir Path dir) {
        assertThatThrownBy(() -> VideoWriter.write(dir.resolve("a.avi"), frames(1, 4, 4), 10))
                .hasMessageContaining("a path ending in .gif or .mp4");
    }
}
