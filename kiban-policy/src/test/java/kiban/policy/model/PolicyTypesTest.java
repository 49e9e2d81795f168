package kiban.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.error.UnknownNameException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.normalize.NormalizationMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyTypesTest {

    private static final PolicyTypes TYPES = PolicyTypes.registry();

    @Test
    void findsTheFourBuiltInTypesFirstInFileOrder() {
        assertThat(TYPES.names()).startsWith("mlp", "flow", "diffusion", "act");
        assertThat(TYPES.fields("mlp")).containsExactly("hidden");
        assertThat(TYPES.fields("flow")).containsExactly("hidden", "flow_steps", "flow_noise_scale", "flow_head");
        assertThat(TYPES.fields("diffusion")).containsExactly("hidden", "flow_steps");
        assertThat(TYPES.fields("act")).containsExactly("model_dim", "heads", "encoder_layers", "decoder_layers");
        assertThat(TYPES.allFields()).startsWith("hidden", "flow_steps", "flow_noise_scale", "flow_head", "model_dim",
                "heads", "encoder_layers", "decoder_layers");
    }

    @Test
    void anUnknownTypeIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> TYPES.get("flwo")).isInstanceOf(UnknownNameException.class)
                .hasMessageContaining("unknown policy type 'flwo'").hasMessageContaining("did you mean 'flow'")
                .hasMessageContaining("known policy types: " + String.join(", ", TYPES.names()));
        assertThatThrownBy(() -> TYPES.fields("transformer")).hasMessageContaining("mlp, flow, diffusion, act");
    }

    @Test
    void eachTypesSettingsRoundTripThroughItsFields() {
        List<PolicyConfig> configs = List.of(new MlpConfig(List.of(64, 32)), new FlowConfig(List.of(128, 128), 4, 0.5, "film"),
                new DiffusionConfig(List.of(32), 7), new ActConfig(64, 2, 2, 3));
        for (PolicyConfig c : configs) {
            ObjectNode fields = Json.object();
            c.write(fields);
            assertThat(fields.properties()).extracting(java.util.Map.Entry::getKey)
                    .containsExactlyElementsOf(TYPES.fields(c.type()));
            assertThat(TYPES.get(c.type()).read(FieldReader.root(fields, "t.yaml"))).isEqualTo(c);
            assertThat(TYPES.get(c.type()).read(FieldReader.root(Json.object(), "t.yaml")))
                    .isEqualTo(TYPES.get(c.type()).defaults());
        }
    }

    @Test
    void badSettingsNameTheFileAndField() {
        assertThatThrownBy(() -> read("act", "model_dim: 100\nheads: 3\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("t.yaml").hasMessageContaining("model_dim").hasMessageContaining("100");
        assertThatThrownBy(() -> read("diffusion", "flow_steps: 0\n")).hasMessageContaining("flow_steps");
        assertThatThrownBy(() -> read("mlp", "hidden: [8, -1]\n")).hasMessageContaining("hidden[1]");
        assertThatThrownBy(() -> read("flow", "flow_head: unet\n")).hasMessageContaining("one of [mlp, film]");
    }

    private static PolicyConfig read(String type, String yaml) {
        return TYPES.get(type).read(FieldReader.root(Json.parseTree(yaml, "t.yaml"), "t.yaml"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "flow", "diffusion", "act"})
    void eachTypeBuildsItsNetwork(String name) {
        PolicyType type = TYPES.get(name);
        ChunkSpec chunk = new ChunkSpec(4, 8, NormalizationMode.MIN_MAX);
        PolicyNetwork net = type.create(type.defaults(), type.stateOnly(2, 6, chunk), chunk);
        assertThat(net.type()).isEqualTo(name);
        assertThat(net.inputShape().get(1)).as("the observations and, for the samplers, the noisy chunk and time").isGreaterThanOrEqualTo(6);
        assertThat(type.torchScript()).as("the export script rebuilds every built-in type").isPresent();
    }
}
