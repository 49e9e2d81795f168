package kiban.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import kiban.core.error.InvalidInputException;
import kiban.policy.run.TrainConfig;
import org.junit.jupiter.api.Test;

/** Shapes and config checks; PolicyTrainerTest trains an act policy end to end on the line env's data. */
class ActNetworkTest {

    private static TrainConfig config() {
        return TrainConfig.defaults().with(c -> c.put("policy", "act").put("observation_steps", 2).put("horizon", 4)
                .put("action_steps", 2).put("model_dim", 32).put("heads", 4).put("encoder_layers", 2)
                .put("decoder_layers", 1).put("warmup_steps", 0));
    }

    @Test
    void mapsObservationHistoriesToActionChunks() {
        // 2 observation steps of 3 inputs; a chunk of 4 actions of 2.
        PolicyNetwork net = Networks.create(config(), 6, 8);
        assertThat(net).isInstanceOf(ActNetwork.class);
        try (NDManager m = NDManager.newBaseManager()) {
            net.block().initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, net.inputShape());
            ParameterStore store = new ParameterStore(m, false);
            NDArray obs = m.randomNormal(new Shape(5, 6));
            NDArray out = net.predict(store, obs);
            assertThat(out.getShape()).isEqualTo(new Shape(5, 8));
            // Each row depends on its own observation only: batching does not mix samples.
            NDArray single = net.predict(store, obs.get("1:2"));
            assertThat(single.toFloatArray()).containsExactly(out.get("1:2").toFloatArray(), org.assertj.core.data.Offset.offset(1e-5f));
            // Everything a forward pass makes belongs to its batch's manager, so closing that frees the
            // activations and the autograd graph; one tensor in the parameters' manager kept them all alive.
            try (NDManager batch = m.newSubManager()) {
                assertThat(net.predict(store, batch.create(new float[12], new Shape(2, 6))).getManager()).isSameAs(batch);
            }
            NDArray loss = net.loss(store, obs, m.zeros(new Shape(5, 8)), m.ones(new Shape(5, 8)));
            assertThat(loss.getShape().dimension()).isZero();
        }
    }

    @Test
    void refusesAWidthThatTheHeadsDoNotDivide() {
        assertThatThrownBy(() -> config().with(c -> c.put("model_dim", 30)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("model_dim");
    }
}
