package kiban.policy.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.json.Json;
import kiban.core.policy.DeltaPair;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.data.InstructionFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFilesTest {

    private static FeatureSpec feature(String name, int size) {
        return new FeatureSpec(name, "rad", List.of(size), List.of(), java.util.Collections.nCopies(size, -1.0),
                java.util.Collections.nCopies(size, 1.0), List.of());
    }

    private static final PolicyMetadata PLAIN = new PolicyMetadata("flow", List.of(feature("joint_pos", 2), feature("g", 1)),
            List.of(feature("joint_target", 2), feature("grip", 1)), 2, 16, 8);

    @Test
    void deltaActionsRoundTripAndAreAbsentWhenUnused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.json");
        PolicyMetadata delta = PLAIN.withDeltaActions(List.of(new DeltaPair("joint_target", "joint_pos")));
        Files.writeString(file, Json.pretty(PolicyFiles.toTree(delta)));
        assertThat(PolicyFiles.read(file)).isEqualTo(delta);
        Files.writeString(file, Json.pretty(PolicyFiles.toTree(PLAIN)));
        assertThat(Files.readString(file)).doesNotContain("delta_actions");
        assertThat(PolicyFiles.read(file)).isEqualTo(PLAIN);
    }

    @Test
    void aBadPairIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.json");
        var tree = PolicyFiles.toTree(PLAIN);
        tree.putObject("delta_actions").put("joint_target", "g");
        Files.writeString(file, Json.pretty(tree));
        assertThatThrownBy(() -> PolicyFiles.read(file)).hasMessageContaining("delta_actions")
                .hasMessageContaining("observation g has 1");
    }

    @Test
    void imagesRoundTripAndAreAbsentForStateOnlyPolicies(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.json");
        PolicyMetadata seeing = PLAIN.withImages(List.of(kiban.core.policy.ImageSpec.ofCamera("top", 96, 64)));
        Files.writeString(file, Json.pretty(PolicyFiles.toTree(seeing)));
        assertThat(PolicyFiles.read(file)).isEqualTo(seeing);
        assertThat(PolicyFiles.read(file).images().getFirst().name()).isEqualTo("observation.images.top");
        assertThat(Json.pretty(PolicyFiles.toTree(PLAIN))).doesNotContain("images");
    }

    @Test
    void instructionsRoundTripAndAreAbsentForPoliciesThatIgnoreThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.json");
        Instructions instructions = new Instructions(new InstructionFeatures(16), List.of("go left", "go right"));
        Files.writeString(file, Json.pretty(PolicyFiles.toTree(PLAIN, Optional.of(instructions))));
        assertThat(PolicyFiles.readInstructions(file)).contains(instructions);
        assertThat(PolicyFiles.read(file)).isEqualTo(PLAIN);
        Files.writeString(file, Json.pretty(PolicyFiles.toTree(PLAIN, Optional.empty())));
        assertThat(Files.readString(file)).isEqualTo(Json.pretty(PolicyFiles.toTree(PLAIN))).doesNotContain("instructions");
        assertThat(PolicyFiles.readInstructions(file)).isEmpty();
    }

    @Test
    void anInstructionEncoderOfAnotherVersionIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.json");
        var tree = PolicyFiles.toTree(PLAIN, Optional.of(new Instructions(InstructionFeatures.defaults(), List.of("a", "b"))));
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("instructions")).put("version", 2);
        Files.writeString(file, Json.pretty(tree));
        assertThatThrownBy(() -> PolicyFiles.readInstructions(file)).hasMessageContaining("instructions.version")
                .hasMessageContaining("trained by another Kiban");
    }
}
