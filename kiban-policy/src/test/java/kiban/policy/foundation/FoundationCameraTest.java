package kiban.policy.foundation;

import static kiban.policy.foundation.TinyFoundation.LEFT;
import static kiban.policy.foundation.TinyFoundation.RIGHT;
import static kiban.policy.foundation.TinyFoundation.STRIP;
import static kiban.policy.foundation.TinyFoundation.config;
import static kiban.policy.foundation.TinyFoundation.strip;
import static kiban.policy.foundation.TinyFoundation.trainWithEye;
import static kiban.policy.foundation.TinyFoundation.withEye;
import static kiban.policy.export.Chunks.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.policy.run.Policies;
import kiban.policy.run.RunDirectory;
import kiban.policy.export.TorchScriptExport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image tokens in the foundation trunk: an embodiment whose target is only in its camera's picture
 * ({@code eye}: the state is its position, the target a red column on a white strip, recorded as a
 * LeRobot video) pretrained beside one without a camera ({@code line}, told to go right or left).
 */
class FoundationCameraTest {

    @TempDir
    static Path shared;
    static RunDirectory run;
    static FoundationConfig cameras;

    static List<MixData> mix(FoundationConfig c, Path... dirs) {
        return Arrays.stream(dirs).map(d -> MixData.load(new MixSource(d, 1), 0.1, c::imageFeatures)).toList();
    }

    @BeforeAll
    static void pretrain() {
        cameras = withEye(config(1200));
        run = new RunDirectory(trainWithEye(shared, 1200, 40));
    }

    static double first(Policy p, double[] state, byte[] frame) {
        p.seed(3);
        return p.infer(new PolicyObservation[] {new PolicyObservation(state, Map.of(STRIP.name(), frame))})[0][0];
    }

    @Test
    void anEmbodimentReadsWhatOnlyItsCameraShowsAndTheOthersActAsBefore() {
        try (Policy eye = Policies.load(run.root(), Optional.of("eye"));
                Policy line = Policies.load(run.root(), Optional.of("line"))) {
            assertThat(eye.metadata().images()).containsExactly(STRIP);
            assertThat(line.metadata().images()).isEmpty();
            double[] at = {0};
            // The expert steps +1 and -1; a network blind to the picture answers both alike (same noise, same state).
            assertThat(first(eye, at, strip(4)) - first(eye, at, strip(-4))).isGreaterThan(1.0);
            assertThat(first(eye, new double[] {-4}, strip(4))).isGreaterThan(0.5);
            assertThatThrownBy(() -> eye.infer(new PolicyObservation[] {new PolicyObservation(at, Map.of())}))
                    .isInstanceOf(KibanException.class).hasMessageContaining(STRIP.name());
            line.seed(3);
            assertThat(line.infer(new PolicyObservation[] {new PolicyObservation(new double[] {0.2, 0.4}, Map.of(), RIGHT)})[0][0])
                    .isGreaterThan(0.5);
            line.seed(3);
            assertThat(line.infer(new PolicyObservation[] {new PolicyObservation(new double[] {0.2, 0.4}, Map.of(), LEFT)})[0][0])
                    .isLessThan(-0.5);
        }
        var embodiments = Json.readTree(run.policy()).path("embodiments");
        assertThat(embodiments.get(0).has("images")).isFalse();
        assertThat(embodiments.get(1).path("images").get(0).path("name").asText()).isEqualTo(STRIP.name());
        assertThat(Json.readTree(run.config()).path("image_features").path("eye").get(0).asText()).isEqualTo(STRIP.name());
    }

    @Test
    void aCamerasCnnBelongsToItsEmbodiment() {
        FoundationCheckpoint checkpoint = FoundationCheckpoint.open(run.root());
        try (var manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            List<String> names = checkpoint.network(manager).block().getParameters().keys();
            List<String> cnn = names.stream().filter(n -> n.contains("camera0")).toList();
            assertThat(cnn).isNotEmpty().allSatisfy(n -> assertThat(FoundationTransformer.embodimentOf(n)).isEqualTo(1));
            assertThat(names).contains("e1_image_in_weight", "e1_image_position").doesNotContain("e0_image_in_weight");
        }
        assertThat(FoundationTransformer.embodimentOf("e0_state_in_weight")).isZero();
        assertThat(FoundationTransformer.embodimentOf("12e3_camera1_conv_weight")).isEqualTo(3);
        assertThat(FoundationTransformer.embodimentOf("trunk0_attention_weight")).isEqualTo(-1);
        assertThat(FoundationTransformer.embodimentOf("text_embedding")).isEqualTo(-1);
    }

    /** The TorchScript export of a camera embodiment reads the frames as Kiban does; the camera-less one beside it exports as before. */
    @Test
    void anEmbodimentWithACameraIsExportedAndSamplesKibansChunks() {
        var eye = TorchScriptExport.export(run.root(), Optional.of("eye"), shared.resolve("eye-ts"), FoundationExportTest.PYTHON);
        try (Policy kiban = Policies.load(run.root(), Optional.of("eye")); Policy exported = Policies.load(eye.dir())) {
            assertThat(exported).isInstanceOf(kiban.policy.torchscript.TorchScriptPolicy.class);
            assertThat(exported.metadata().images()).containsExactly(STRIP);
            for (double target : new double[] {-4, 0.5, 3}) {
                PolicyObservation[] h = {new PolicyObservation(new double[] {target / 2}, Map.of(STRIP.name(), strip(target)))};
                kiban.seed(11);
                double[][] a = kiban.infer(h);
                exported.seed(11);
                assertThat(maxDifference(exported.infer(h), a)).as("target %s", target).isLessThan(FoundationExportTest.TOLERANCE);
                // Only the picture changes: the export's answer moves with it.
                exported.seed(11);
                PolicyObservation[] moved = {new PolicyObservation(h[0].state(), Map.of(STRIP.name(), strip(-target - 1)))};
                assertThat(maxDifference(exported.infer(moved), a)).isGreaterThan(100 * FoundationExportTest.TOLERANCE);
            }
        }
        var line = TorchScriptExport.export(run.root(), Optional.of("line"), shared.resolve("line-ts"), FoundationExportTest.PYTHON);
        FoundationExportTest.assertSameChunks(run.root(), "line", line.dir(), 2, List.of(RIGHT, LEFT));
    }

    @Test
    void camerasAreConfiguredPerEmbodimentAndAMissingOneIsNamed(@TempDir Path dir) {
        assertThat(cameras.imageFeatures("eye")).containsExactly(STRIP.name());
        assertThat(cameras.imageFeatures("line")).isEmpty();
        FoundationConfig back = FoundationConfig.read(cameras.toTree(), "config", FoundationConfig.defaults());
        assertThat(back).isEqualTo(cameras);
        FoundationConfig read = cameras.with(c -> c.putObject("state_features").putArray("line").add("observation.state"));
        assertThat(FoundationConfig.read(read.toTree(), "config", FoundationConfig.defaults()).stateFeatures("line"))
                .containsExactly("observation.state");
        // A state-only config writes none of the camera fields.
        assertThat(config(1).toTree().has("image_features")).isFalse();
        assertThat(config(1).toTree().has("image_encoder")).isFalse();
        for (String bad : List.of("{\"image_features\": {\"eye\": []}}", "{\"image_features\": {\"eye\": \"strip\"}}",
                "{\"image_features\": {\"eye\": [\"a\", \"a\"]}}", "{\"image_encoder\": \"vit\"}",
                "{\"state_features\": {\"eye\": []}}", "{\"state_features\": [\"pos\"]}")) {
            assertThatThrownBy(() -> FoundationConfig.read(Json.MAPPER.readTree(bad), "f.json", FoundationConfig.defaults()))
                    .as(bad).isInstanceOf(InvalidInputException.class).hasMessageContaining("f.json");
        }
        FoundationConfig wrong = config(1).with(c -> c.putObject("image_features").putArray("eye").add("observation.images.wrist"));
        assertThatThrownBy(() -> mix(wrong, shared.resolve("eye"))).hasMessageContaining("observation.images.wrist")
                .hasMessageContaining(STRIP.name());
    }
}
