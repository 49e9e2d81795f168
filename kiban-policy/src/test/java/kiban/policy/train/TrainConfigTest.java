package kiban.policy.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kiban.core.json.Json;
import org.junit.jupiter.api.Test;

class TrainConfigTest {

    private static TrainConfig read(String yaml) {
        return TrainConfig.read(Json.parseTree(yaml, "train.yaml"), "train.yaml", TrainConfig.defaults());
    }

    @Test
    void fieldsPresentReplaceTheDefaultsAndTheTreeReadsBack() {
        TrainConfig c = read("policy: mlp\nsteps: 1234\nhidden: [64, 32]\nnormalization: mean_std\n");
        assertThat(c.policy()).isEqualTo("mlp");
        assertThat(c.steps()).isEqualTo(1234);
        assertThat(c.hidden()).containsExactly(64, 32);
        assertThat(c.batch()).isEqualTo(TrainConfig.defaults().batch());
        assertThat(TrainConfig.read(c.toTree(), "saved", TrainConfig.defaults())).isEqualTo(c);
    }

    @Test
    void badFieldsAreNamed() {
        assertThatThrownBy(() -> read("stepz: 10\n")).hasMessageContaining("train.yaml").hasMessageContaining("'stepz'")
                .hasMessageContaining("unknown field");
        assertThatThrownBy(() -> read("steps: 1.5\n")).hasMessageContaining("field 'steps'").hasMessageContaining("an integer");
        assertThatThrownBy(() -> read("policy: transformer\n")).hasMessageContaining("one of [mlp, flow, diffusion, act]");
        assertThatThrownBy(() -> read("hidden: [64, 0]\n")).hasMessageContaining("hidden[1]");
        assertThatThrownBy(() -> read("horizon: 4\naction_steps: 8\n")).hasMessageContaining("action_steps");
        assertThatThrownBy(() -> read("flow_noise_scale: -0.5\n")).hasMessageContaining("flow_noise_scale")
                .hasMessageContaining("-0.5");
        assertThatThrownBy(() -> read("flow_head: unet\n")).hasMessageContaining("flow_head")
                .hasMessageContaining("one of [mlp, film]");
        assertThatThrownBy(() -> read("flow_head: film\nhidden: [256, 128]\n")).hasMessageContaining("train.yaml")
                .hasMessageContaining("hidden").hasMessageContaining("[256, 128]");
        assertThat(read("flow_head: film\nhidden: [256, 256]\n").flowHead()).isEqualTo("film");
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
}
