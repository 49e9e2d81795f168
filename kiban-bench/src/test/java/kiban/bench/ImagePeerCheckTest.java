package kiban.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.policy.run.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image benchmarks' peer (Debian's python3-torch) computes Kiban's flow image network on Kiban's
 * weights, and refuses loudly to stand in for a network of other layer shapes.
 */
class ImagePeerCheckTest {

    private static final Path PEER = Path.of("..", "bench", "peers", "train_step.py");

    private static ImageNetwork small(String encoder) {
        return ImageNetwork.of(encoder, TrainConfig.defaults().with(c -> c.putArray("hidden").add(32).add(32)), 2);
    }

    @Test
    void thePeerComputesKibansVelocityOnKibansWeights(@TempDir Path dir) throws Exception {
        long kiban = ImagePeerCheck.stage(dir, small("resnet"));
        JsonNode r = ImagePeerCheck.check(PEER, dir);
        assertThat(r.get("parameters").asLong()).isEqualTo(kiban).isPositive();
        assertThat(r.get("max_abs_velocity").asDouble()).isPositive();
        assertThat(r.get("max_abs_difference").asDouble()).isLessThan(1e-4);
    }

    @Test
    void aPeerAskedForAnotherNetworkFailsNamingBothShapes(@TempDir Path dir) throws Exception {
        ImagePeerCheck.stage(dir, small("cnn"));
        Path spec = dir.resolve("spec.json");
        ObjectNode s = (ObjectNode) Json.MAPPER.readTree(Files.readString(spec));
        s.put("image_encoder", "resnet");
        Files.writeString(spec, Json.pretty(s));
        assertThatThrownBy(() -> ImagePeerCheck.check(PEER, dir)).isInstanceOf(KibanException.class)
                .hasMessageContaining("the networks differ");
    }

    @Test
    void aPeerRunOfAnotherParameterCountStopsTheBenchmark() {
        assertThatThrownBy(() -> PeerCheck.requireSameCount(10, 11, "train_step.py")).isInstanceOf(KibanException.class)
                .hasMessageContaining("11 parameters, Kiban's has 10");
    }
}
