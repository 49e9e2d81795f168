package kiban.policy.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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

    private static float[] random(SplittableRandom r, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) r.nextGaussian();
        }
        return out;
    }
}
