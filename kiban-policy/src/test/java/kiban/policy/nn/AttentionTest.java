package kiban.policy.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AttentionTest {

    @Test
    void matchesAttentionWrittenOutHeadByHead() {
        int b = 2;
        int tq = 3;
        int tk = 5;
        int d = 8;
        int heads = 2;
        SplittableRandom r = new SplittableRandom(3);
        float[] q = random(r, b * tq * d);
        float[] k = random(r, b * tk * d);
        float[] v = random(r, b * tk * d);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] got = Attention.attend(m.create(q, new Shape(b, tq, d)), m.create(k, new Shape(b, tk, d)),
                    m.create(v, new Shape(b, tk, d)), heads).toFloatArray();
            int dh = d / heads;
            for (int n = 0; n < b; n++) {
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < tq; i++) {
                        double[] w = new double[tk];
                        double sum = 0;
                        for (int j = 0; j < tk; j++) {
                            double dot = 0;
                            for (int c = 0; c < dh; c++) {
                                dot += q[(n * tq + i) * d + h * dh + c] * k[(n * tk + j) * d + h * dh + c];
                            }
                            w[j] = Math.exp(dot / Math.sqrt(dh));
                            sum += w[j];
                        }
                        for (int c = 0; c < dh; c++) {
                            double out = 0;
                            for (int j = 0; j < tk; j++) {
                                out += w[j] / sum * v[(n * tk + j) * d + h * dh + c];
                            }
                            assertThat((double) got[(n * tq + i) * d + h * dh + c]).isCloseTo(out, within(1e-5));
                        }
                    }
                }
            }
        }
    }

    /**
     * Autograd's gradient with respect to the queries matches finite differences, even when the JVM
     * collects garbage between the forward and backward passes (a scalar DJL freed early once gave
     * backward garbage there).
     */
    @Test
    void queryGradientMatchesFiniteDifferences() {
        int b = 2;
        int t = 3;
        int d = 4;
        SplittableRandom r = new SplittableRandom(5);
        float[] q = random(r, b * t * d);
        float[] k = random(r, b * t * d);
        float[] v = random(r, b * t * d);
        float[] weights = random(r, b * t * d);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(b, t, d);
            NDArray qa = m.create(q, shape);
            qa.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = Attention.attend(qa, m.create(k, shape), m.create(v, shape), 2).mul(m.create(weights, shape)).sum();
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    try (NDManager churn = m.newSubManager()) {
                        for (int j = 0; j < 2000; j++) {
                            churn.create(j * 1e6f);
                        }
                    }
                }
                gc.backward(loss);
            }
            float[] grad = qa.getGradient().toFloatArray();
            double h = 1e-2;
            for (int i = 0; i < q.length; i++) {
                float[] plus = q.clone();
                float[] minus = q.clone();
                plus[i] += (float) h;
                minus[i] -= (float) h;
                double numeric = (objective(m, plus, k, v, weights, shape) - objective(m, minus, k, v, weights, shape)) / (2 * h);
                assertThat((double) grad[i]).as("d/dq[%d]", i).isCloseTo(numeric, within(2e-3));
            }
        }
    }

    private static double objective(NDManager m, float[] q, float[] k, float[] v, float[] w, Shape shape) {
        try (NDManager s = m.newSubManager()) {
            return Attention.attend(s.create(q, shape), s.create(k, shape), s.create(v, shape), 2)
                    .mul(s.create(w, shape)).sum().getFloat();
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }
}
