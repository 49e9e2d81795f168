package kiban.policy.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames held in memory: copied out whole, and a frame of another size refused rather than misread. */
class CameraFramesTest {

    @Test
    void copiesEachFrameWhole() {
        CameraFrames frames = new CameraFrames.InMemory(new byte[][] {{1, 2, 3}, {4, 5, 6}});
        assertThat(frames.count()).isEqualTo(2);
        assertThat(frames.frameBytes()).isEqualTo(3);
        assertThat(frames.frame(1)).containsExactly(4, 5, 6);
        byte[] out = {9, 9, 9};
        frames.copyFrame(0, out);
        assertThat(out).containsExactly(1, 2, 3);
    }

    @Test
    void refusesFramesOfDifferentSizesAndAReadOfTheWrongSize() {
        assertThatThrownBy(() -> new CameraFrames.InMemory(new byte[][] {{1, 2, 3}, {4, 5}}))
                .hasMessage("frames of one camera must be the same size: 3 and 2 bytes");
        CameraFrames frames = new CameraFrames.InMemory(new byte[][] {{1, 2, 3}});
        assertThatThrownBy(() -> frames.copyFrame(0, new byte[4]))
                .hasMessage("a frame of this camera has 3 bytes; the image read expects 4");
    }

    @Test
    void anEpisodeRefusesACameraWithAnotherFrameCount() {
        double[][] x = {{0}, {1}};
        assertThatThrownBy(() -> new Episode(x, x, List.<byte[][]>of(new byte[][] {{1}})))
                .hasMessage("an episode of 2 frames has a camera with 1");
    }
}
