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
import kiban.policy.train.AdamW;
import org.junit.jupiter.api.Test;

class ImageEncoderTest {

    private static final int SIZE = 24;

    @Test
    void spatialSoftmaxFindsTheHotPixel() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] map = new float[5 * 5];
            map[1 * 5 + 4] = 50f; // row 1, column 4
            NDArray keypoints = ImageEncoder.spatialSoftmax(m.create(map, new Shape(1, 1, 5, 5)));
            assertThat(keypoints.getShape()).isEqualTo(new Shape(1, 2));
            assertThat(keypoints.toFloatArray()).containsExactly(new float[] {1f, -0.5f}, org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    /** Images of a bright square on noise; the encoder learns to report where the square is. */
    @Test
    void learnsToLocateAnObjectInTinyImages() {
        ImageEncoder encoder = new ImageEncoder(3, SIZE, SIZE, 2);
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager(); AdamW adam = new AdamW(m, 0.9, 0.999, 1e-8, 0)) {
            encoder.initialize(m, DataType.FLOAT32, encoder.inputShape(1));
            var params = encoder.getParameters();
            params.forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            ParameterStore store = new ParameterStore(m, false);
            SplittableRandom r = new SplittableRandom(11);
            double first = Double.NaN;
            for (int step = 0; step < 120; step++) {
                try (NDManager s = m.newSubManager()) {
                    NDList batch = batch(s, r, 32);
                    NDArray loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        loss = encoder.forward(store, new NDList(batch.get(0)), true).singletonOrThrow()
                                .sub(batch.get(1)).square().mean();
                        gc.backward(loss);
                    }
                    if (step == 0) {
                        first = loss.getFloat();
                    }
                    adam.update(params, 3e-3);
                    params.forEach(p -> p.getValue().getArray().getGradient().muli(0f));
                }
            }
            try (NDManager s = m.newSubManager()) {
                NDList heldOut = batch(s, new SplittableRandom(99), 64);
                double error = encoder.forward(store, new NDList(heldOut.get(0)), false).singletonOrThrow()
                        .sub(heldOut.get(1)).square().mean().getFloat();
                // Targets are uniform on [-0.8, 0.8] (variance 0.21): predicting their mean scores about 0.21.
                assertThat(error).isLessThan(0.03).isLessThan(first / 5);
            }
        }
    }

    /**
     * The frames a camera's slice of the rows becomes: the same values laid out channels last, and through the encoder
     * the same features as NCHW frames to float rounding (oneDNN sums in another order).
     */
    @Test
    void channelsLastFramesGiveTheSameFeatures() {
        int rows = 3;
        int steps = 2;
        kiban.core.policy.ImageSpec spec = new kiban.core.policy.ImageSpec("cam", SIZE, SIZE + 4, 3);
        ImageEncoder encoder = new ImageEncoder(3, SIZE, SIZE + 4, 5);
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            encoder.initialize(m, DataType.FLOAT32, encoder.inputShape(1));
            ParameterStore store = new ParameterStore(m, false);
            int states = 4;
            long inputs = states + (long) steps * spec.bytes();
            NDArray obs = m.randomUniform(0, 1, new Shape(rows, inputs));
            NDArray slice = obs.get(new ai.djl.ndarray.index.NDIndex(":, {}:", states));
            NDArray nchw = slice.reshape(rows * steps, 3, SIZE, SIZE + 4);
            NDArray last = ImageConditionedBlock.channelsLast(slice, rows, steps, spec);
            assertThat(last.getShape()).isEqualTo(nchw.getShape());
            assertThat(last.toFloatArray()).containsExactly(nchw.toFloatArray());
            float[] a = encoder.forward(store, new NDList(nchw), false).singletonOrThrow().toFloatArray();
            float[] b = encoder.forward(store, new NDList(last), false).singletonOrThrow().toFloatArray();
            assertThat(b).containsExactly(a, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void refusesImagesOfAnotherShape() {
        ImageEncoder encoder = new ImageEncoder(3, SIZE, SIZE, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> encoder.initialize(m, DataType.FLOAT32, new Shape(1, 1, SIZE, SIZE)))
                    .hasMessageContaining("images must be (B, 3, 24, 24)");
        }
    }

    private static NDList batch(NDManager m, SplittableRandom r, int n) {
        float[] images = new float[n * 3 * SIZE * SIZE];
        float[] targets = new float[n * 2];
        for (int i = 0; i < n; i++) {
            int cx = r.nextInt(2, SIZE - 3);
            int cy = r.nextInt(2, SIZE - 3);
            targets[2 * i] = (float) ((cx - (SIZE - 1) / 2.0) / ((SIZE - 1) / 2.0));
            targets[2 * i + 1] = (float) ((cy - (SIZE - 1) / 2.0) / ((SIZE - 1) / 2.0));
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < SIZE; y++) {
                    for (int x = 0; x < SIZE; x++) {
                        boolean on = Math.abs(x - cx) <= 1 && Math.abs(y - cy) <= 1;
                        images[((i * 3 + c) * SIZE + y) * SIZE + x] = on ? 1f : (float) (0.2 * r.nextDouble());
                    }
                }
            }
        }
        return new NDList(m.create(images, new Shape(n, 3, SIZE, SIZE)), m.create(targets, new Shape(n, 2)));
    }
}
