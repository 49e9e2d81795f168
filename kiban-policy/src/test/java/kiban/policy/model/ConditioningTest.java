package kiban.policy.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import kiban.core.policy.ImageSpec;
import kiban.policy.run.TrainConfig;
import kiban.testing.LineCamera;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The instruction's features at the end of an input row reach every network's head, with and without cameras. */
class ConditioningTest {

    private static final int INSTRUCTION = 5;
    private static final int CHUNK = 8;

    private static TrainConfig config(String policy) {
        return TrainConfig.defaults().with(c -> {
            c.put("policy", policy).put("observation_steps", 2).put("horizon", 4).put("action_steps", 2)
                    .put("model_dim", 16).put("heads", 2).put("encoder_layers", 1).put("image_feature_dim", 4);
            c.putArray("hidden").add(16).add(16);
        });
    }

    private static float[] predict(PolicyNetwork net, ParameterStore store, NDArray rows) {
        Networks.seedSampling(5); // flow and diffusion draw the same noise for both calls
        return net.predict(store, rows).toFloatArray();
    }

    @ParameterizedTest(name = "{0}, cameras {1}")
    @CsvSource({"mlp,false", "mlp,true", "flow,false", "flow,true", "diffusion,false", "diffusion,true", "act,false",
            "act,true"})
    void eachRowsInstructionChangesItsOwnChunkOnly(String policy, boolean cameras) {
        List<ImageSpec> images = cameras ? List.of(LineCamera.CAMERA) : List.of();
        ObservationLayout layout = Networks.layout(config(policy), 3, images, INSTRUCTION);
        assertThat(layout.inputs()).isEqualTo(2 * 3 + (cameras ? 2 * LineCamera.CAMERA.bytes() : 0) + INSTRUCTION);
        PolicyNetwork net = Networks.create(config(policy), layout, CHUNK);
        try (NDManager m = NDManager.newBaseManager()) {
            net.block().initialize(m, DataType.FLOAT32, net.inputShape());
            ParameterStore store = new ParameterStore(m, false);
            NDArray rows = m.randomUniform(0f, 1f, new Shape(2, layout.inputs()));
            float[] before = predict(net, store, rows);
            assertThat(before).hasSize(2 * CHUNK);
            NDArray changed = rows.duplicate();
            changed.set(new NDIndex("1, {}:", layout.inputs() - INSTRUCTION), 0f);
            float[] after = predict(net, store, changed);
            assertThat(java.util.Arrays.copyOfRange(after, 0, CHUNK)).containsExactly(
                    java.util.Arrays.copyOfRange(before, 0, CHUNK), org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(java.util.Arrays.copyOfRange(after, CHUNK, 2 * CHUNK))
                    .isNotEqualTo(java.util.Arrays.copyOfRange(before, CHUNK, 2 * CHUNK));
            NDArray loss = net.loss(store, rows, m.zeros(new Shape(2, CHUNK)), m.ones(new Shape(2, CHUNK)));
            assertThat(loss.getFloat()).isFinite();
        }
    }
}
