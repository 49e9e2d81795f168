package kiban.data.lerobot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KibanMetaTest {

    @TempDir
    Path dir;

    private KibanMeta meta(FrameRandomization frames) {
        List<FeatureSpec> state = List.of(new FeatureSpec("agent_pos", "m", List.of(2), List.of(), List.of(-1.0, -1.0),
                List.of(1.0, 1.0), List.of()));
        return new KibanMeta("pusht", "pusht", state, state, frames);
    }

    private Path write(String json) throws Exception {
        Files.createDirectories(dir.resolve("meta"));
        Files.writeString(dir.resolve(KibanMeta.FILE), json);
        return dir;
    }

    @Test
    void theFrameRandomisationReadsBackAsWritten() throws Exception {
        FrameRandomization frames = new FrameRandomization("render", Map.of("colour_spread", 0.08, "rotation_degrees", 3.0), 7);
        KibanMeta read = KibanMeta.read(write(meta(frames).json())).orElseThrow();
        assertThat(read.randomization()).contains(frames);
        assertThat(read).isEqualTo(meta(frames));
        assertThat(frames.describe()).isEqualTo("render randomised, episode i drawn from seed 7 + i (colour_spread 0.08, "
                + "rotation_degrees 3.0)");
    }

    @Test
    void plainFramesWriteNoFieldAndReadAsPlain() throws Exception {
        String json = meta(null).json();
        assertThat(json).doesNotContain("frame_randomization");
        assertThat(KibanMeta.read(write(json)).orElseThrow().randomization()).isEmpty();
    }

    @Test
    void aMalformedRandomisationNamesTheFileAndField() throws Exception {
        String json = meta(new FrameRandomization("render", Map.of("colour_spread", 0.08), 7)).json()
                .replace("\"first_episode_seed\" : 7", "\"first_episode_seed\" : \"seven\"");
        assertThat(json).contains("\"seven\"");
        Path root = write(json);
        assertThatThrownBy(() -> KibanMeta.read(root)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(KibanMeta.FILE).hasMessageContaining("frame_randomization.first_episode_seed")
                .hasMessageContaining("seven");
    }
}
