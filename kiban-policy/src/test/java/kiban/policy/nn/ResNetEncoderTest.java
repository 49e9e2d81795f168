package kiban.policy.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ResNetEncoderTest {

    @Test
    void encodesABatchOfFramesToItsFeatures() {
        ResNetEncoder encoder = new ResNetEncoder(3, 96, 96, 40);
        try (NDManager m = NDManager.newBaseManager()) {
            encoder.initialize(m, DataType.FLOAT32, encoder.inputShape(1));
            NDArray out = encoder.forward(new ParameterStore(m, false), new NDList(m.randomUniform(0, 1, new Shape(5, 3, 96, 96))),
                    false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(5, 40));
            for (float v : out.toFloatArray()) {
                assertThat(v).isFinite();
            }
        }
        // 96x96 halves to 48, 24 and 12, then stays: the keypoint maps are 12x12.
        assertThat(encoder.strides()).containsExactly(2, 2, 2, 1);
        // A small camera keeps its resolution.
        assertThat(new ResNetEncoder(3, 8, 32, 4).strides()).containsExactly(1, 1, 1, 1);
    }

    /** One bright spot: the spatial softmax of a map puts the keypoint on it, in [-1, 1] image coordinates. */
    @Test
    void spatialSoftmaxPutsTheKeypointOnTheBrightSpot() {
        try (NDManager m = NDManager.newBaseManager()) {
            int h = 12;
            int w = 16;
            float[] map = new float[2 * h * w];
            map[3 * w + 12] = 40f; // channel 0: row 3, column 12
            map[h * w + 11 * w] = 40f; // channel 1: row 11, column 0
            NDArray keypoints = ImageEncoder.spatialSoftmax(m.create(map, new Shape(1, 2, h, w)));
            // x of both channels, then y of both.
            float[] expected = {-1f + 2f * 12 / (w - 1), -1f, -1f + 2f * 3 / (h - 1), 1f};
            assertThat(keypoints.toFloatArray()).containsExactly(expected, Offset.offset(1e-4f));
        }
    }

    /** Every parameter, the first convolution's included, receives a gradient from the features. */
    @Test
    void gradientsReachEveryParameter() {
        ResNetEncoder encoder = new ResNetEncoder(3, 32, 32, 8);
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            encoder.initialize(m, DataType.FLOAT32, encoder.inputShape(1));
            var params = encoder.getParameters();
            params.forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            float[] pixels = new float[4 * 3 * 32 * 32];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) r.nextDouble();
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = encoder.forward(new ParameterStore(m, false), new NDList(m.create(pixels, new Shape(4, 3, 32, 32))),
                        true).singletonOrThrow();
                gc.backward(out.square().sum());
            }
            params.forEach(p -> assertThat(p.getValue().getArray().getGradient().abs().sum().getFloat())
                    .as(p.getKey()).isGreaterThan(0f));
        }
    }

    @Test
    void refusesImagesOfAnotherShape() {
        ResNetEncoder encoder = new ResNetEncoder(3, 24, 24, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> encoder.initialize(m, DataType.FLOAT32, new Shape(1, 1, 24, 24)))
                    .hasMessageContaining("images must be (B, 3, 24, 24)");
        }
    }
}
