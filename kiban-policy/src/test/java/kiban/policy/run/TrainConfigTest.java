package kiban.policy.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kiban.core.json.Json;
import kiban.policy.model.ActConfig;
import kiban.policy.model.FlowConfig;
import kiban.policy.model.MlpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainConfigTest {

    private static TrainConfig read(String yaml) {
        return TrainConfig.read(Json.parseTree(yaml, "train.yaml"), "train.yaml", TrainConfig.defaults());
    }

    @Test
    void fieldsPresentReplaceTheDefaultsAndTheTreeReadsBack() {
        TrainConfig c = read("policy: mlp\nsteps: 1234\nhidden: [64, 32]\nnormalization: mean_std\n");
        assertThat(c.policy()).isEqualTo("mlp");
        assertThat(c.steps()).isEqualTo(1234);
        assertThat(c.model()).isEqualTo(new MlpConfig(List.of(64, 32)));
        assertThat(c.batch()).isEqualTo(TrainConfig.defaults().batch());
        assertThat(TrainConfig.read(c.toTree(), "saved", TrainConfig.defaults())).isEqualTo(c);
    }

    @Test
    void badFieldsAreNamed() {
        assertThatThrownBy(() -> read("stepz: 10\n")).hasMessageContaining("train.yaml").hasMessageContaining("'stepz'")
                .hasMessageContaining("unknown field");
        assertThatThrownBy(() -> read("steps: 1.5\n")).hasMessageContaining("field 'steps'").hasMessageContaining("an integer");
        assertThatThrownBy(() -> read("policy: transformer\n")).hasMessageContaining("field 'policy'")
                // the four built-in types first; the tests' class path registers one more after them
                .hasMessageContaining("one of [mlp, flow, diffusion, act");
        assertThatThrownBy(() -> read("hidden: [64, 0]\n")).hasMessageContaining("hidden[1]");
        assertThatThrownBy(() -> read("horizon: 4\naction_steps: 8\n")).hasMessageContaining("action_steps");
        assertThatThrownBy(() -> read("flow_noise_scale: -0.5\n")).hasMessageContaining("flow_noise_scale")
                .hasMessageContaining("-0.5");
        assertThatThrownBy(() -> read("flow_head: unet\n")).hasMessageContaining("flow_head")
                .hasMessageContaining("one of [mlp, film]");
        assertThatThrownBy(() -> read("flow_head: film\nhidden: [256, 128]\n")).hasMessageContaining("train.yaml")
                .hasMessageContaining("hidden").hasMessageContaining("[256, 128]");
        assertThat(read("flow_head: film\nhidden: [256, 256]\n").model()).isEqualTo(new FlowConfig(List.of(256, 256), 10, 1.0, "film"));
    }

    @Test
    void deltaActionsReadInOrderAndRoundTrip() {
        TrainConfig c = read("delta_actions:\n  joint_target: joint_pos\n  b: c\n");
        assertThat(c.deltaActions()).containsExactly(new kiban.core.policy.DeltaPair("joint_target", "joint_pos"),
                new kiban.core.policy.DeltaPair("b", "c"));
        assertThat(TrainConfig.read(c.toTree(), "saved", TrainConfig.defaults())).isEqualTo(c);
        assertThat(TrainConfig.defaults().toTree().has("delta_actions")).isFalse();
        assertThatThrownBy(() -> read("delta_actions:\n  joint_target: 3\n")).hasMessageContaining("delta_actions.joint_target");
        assertThatThrownBy(() -> read("delta_actions: [a]\n")).hasMessageContaining("delta_actions");
    }

    @Test
    void imageAndStateFeaturesRoundTripAndAreAbsentWhenUnused() {
        TrainConfig c = read("image_features: [observation.images.top]\nstate_features: [agent_pos]\nimage_feature_dim: 32\n");
        assertThat(c.imageFeatures()).containsExactly("observation.images.top");
        assertThat(c.stateFeatures()).containsExactly("agent_pos");
        assertThat(c.imageFeatureDim()).isEqualTo(32);
        assertThat(TrainConfig.read(c.toTree(), "saved", TrainConfig.defaults())).isEqualTo(c);
        assertThat(TrainConfig.defaults().toTree().has("image_features")).isFalse();
        assertThat(TrainConfig.defaults().toTree().has("state_features")).isFalse();
        assertThatThrownBy(() -> read("image_features: [3]\n")).hasMessageContaining("image_features[0]");
    }

    @Test
    void theImageEncoderIsChosenByNameAndWrittenOnlyWhenNotTheFirst() {
        TrainConfig first = read("image_features: [observation.images.top]\n");
        assertThat(first.imageEncoding()).isEqualTo(kiban.policy.nn.ImageEncoding.DEFAULT);
        assertThat(first.toTree().has("image_encoder")).isFalse(); // runs before the choice keep their files
        TrainConfig c = read("image_features: [observation.images.top]\nimage_encoder: resnet\nshared_image_encoder: true\n");
        assertThat(c.imageEncoding()).isEqualTo(new kiban.policy.nn.ImageEncoding("resnet", true));
        assertThat(TrainConfig.read(c.toTree(), "saved", TrainConfig.defaults())).isEqualTo(c);
        assertThatThrownBy(() -> read("image_encoder: resnet18\n")).hasMessageContaining("image_encoder")
                .hasMessageContaining("resnet18").hasMessageContaining("[cnn, resnet]");
        assertThatThrownBy(() -> read("shared_image_encoder: yes please\n")).hasMessageContaining("shared_image_encoder");
    }

    /** A config file as the code before policy types were registered wrote it (test resources). */
    private static String golden(String name) {
        try (var in = TrainConfigTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "flow", "diffusion", "act"})
    void eachTypeWritesTheConfigFileItAlwaysWrote(String policy) {
        assertThat(Json.pretty(TrainConfig.defaults().with(t -> t.put("policy", policy)).toTree()))
                .isEqualTo(golden("config-" + policy + ".json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"config-set.json", "config-film.json", "config-act.json", "config-diffusion.json"})
    void aConfigFileReadsAndWritesBackByteForByte(String name) {
        String file = golden(name);
        TrainConfig c = TrainConfig.read(Json.parseTree(file, name), name, TrainConfig.defaults());
        assertThat(Json.pretty(c.toTree())).isEqualTo(file);
        assertThat(c.changesFrom(TrainConfig.read(Json.parseTree(file, name), name, TrainConfig.defaults()))).isEmpty();
    }

    @Test
    void aTypeChosenLaterReadsTheFieldsTheFileGaveIt() {
        TrainConfig flow = read("policy: flow\nmodel_dim: 64\nheads: 2\nhidden: [32]\n");
        assertThat(flow.model()).isEqualTo(new FlowConfig(List.of(32), 10, 1.0, "mlp"));
        assertThat(flow.model("act")).isEqualTo(new ActConfig(64, 2, 4, 1));
        assertThat(flow.with(t -> t.put("policy", "act")).model()).isEqualTo(new ActConfig(64, 2, 4, 1));
        assertThat(flow.with(t -> t.put("policy", "mlp")).model()).isEqualTo(new MlpConfig(List.of(32)));
        assertThat(flow.with(t -> t.put("policy", "act")).with(t -> t.put("policy", "flow"))).isEqualTo(flow);
    }

    @Test
    void everyTypesFieldsAreCheckedWhicheverTypeTrains() {
        assertThatThrownBy(() -> read("policy: mlp\nmodel_dim: 100\nheads: 3\n")).hasMessageContaining("train.yaml")
                .hasMessageContaining("model_dim").hasMessageContaining("100");
        assertThatThrownBy(() -> read("policy: act\nflow_steps: 0\n")).hasMessageContaining("flow_steps");
    }
}
