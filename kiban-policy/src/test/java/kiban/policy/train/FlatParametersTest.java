package kiban.policy.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlatParametersTest {

    private static final Shape[] SHAPES = {new Shape(3, 4), new Shape(4), new Shape(2, 3), new Shape(5)};
    private static final double LR = 0.05;
    private static final double WD = 0.01;
    private static final double MAX_NORM = 0.5;

    /**
     * Clipping, AdamW and EMA over the flat buffers give what the per-parameter maths gives (DJL's
     * fused {@code adamUpdate} a parameter, clipping and EMA a parameter, as Kiban trained before),
     * over four steps on a loss that couples the parameters, with the clipping active. The two
     * differ only in the order of their float32 roundings (the flat path folds the clipping and the
     * decay into coefficients, and sums the norm in one pass).
     */
    @Test
    void flatStepsMatchThePerParameterUpdates() {
        try (NDManager m = NDManager.newBaseManager(); AdamW opt = new AdamW(m, 0.9, 0.999, 1e-8, WD);
                Ema ema = new Ema(m, 0.75, 0.999)) {
            SplittableRandom r = new SplittableRandom(7);
            PairList<String, Parameter> params = new PairList<>();
            List<NDArray> ref = new ArrayList<>();
            List<NDArray> refM = new ArrayList<>();
            List<NDArray> refV = new ArrayList<>();
            List<NDArray> refEma = new ArrayList<>();
            for (int i = 0; i < SHAPES.length; i++) {
                float[] init = new float[(int) SHAPES[i].size()];
                for (int j = 0; j < init.length; j++) {
                    init[j] = (float) r.nextGaussian();
                }
                Parameter p = Parameter.builder().setName("p" + i).setType(Parameter.Type.WEIGHT).build();
                p.setArray(m.create(init, SHAPES[i]));
                params.add("p" + i, p);
                NDArray copy = m.create(init, SHAPES[i]);
                copy.setRequiresGradient(true);
                ref.add(copy);
                refM.add(m.zeros(SHAPES[i]));
                refV.add(m.zeros(SHAPES[i]));
            }
            FlatParameters flat = new FlatParameters(params, m);
            opt.bind(flat);
            ema.bind(flat);
            params.forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            NDArray target = m.create(new float[] {0.3f, -0.2f, 0.1f, 0.4f, -0.5f});
            boolean clipped = false;
            for (int step = 0; step < 4; step++) {
                try (NDManager scratch = m.newSubManager()) {
                    List<NDArray> live = new ArrayList<>();
                    params.forEach(p -> live.add(p.getValue().getArray()));
                    try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                        c.backward(loss(live, target));
                    }
                    NDArray g = flat.gatherGradients(scratch);
                    double norm = Gradients.globalNorm(g);
                    opt.update(g, LR, Gradients.clipScale(norm, MAX_NORM));
                    flat.zeroGradients();

                    try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                        c.backward(loss(ref, target));
                    }
                    double refNorm = referenceUpdate(ref, refM, refV, step + 1);
                    assertThat(norm).isCloseTo(refNorm, org.assertj.core.api.Assertions.within(1e-5));
                    clipped |= refNorm > MAX_NORM;
                }
                ema.update(step);
                referenceEma(ref, refEma, ema.decayAt(step));
                assertClose(flatValues(params), ref);
                assertClose(opt.stateList().subNDList(0, SHAPES.length), refM);
                assertClose(opt.stateList().subNDList(SHAPES.length), refV);
                assertClose(ema.weights(), refEma);
            }
            assertThat(clipped).as("the test exercises clipping").isTrue();
            assertThat(opt.stateList().get(0).getName()).isEqualTo("m:p0");
            assertThat(ema.weights().get(3).getName()).isEqualTo("p3");
        }
    }

    /** A loss whose gradients mix every parameter's values. */
    private static NDArray loss(List<NDArray> p, NDArray target) {
        NDArray h = p.get(0).matMul(p.get(1).reshape(4, 1)).reshape(3);
        NDArray k = p.get(2).matMul(h.tanh().reshape(3, 1)).reshape(2);
        return k.square().sum().add(p.get(3).sub(target).square().sum().mul(3f)).add(h.sum());
    }

    /** Kiban's update before the flat buffers: clip a parameter at a time, then DJL's adamUpdate a parameter. */
    private static double referenceUpdate(List<NDArray> w, List<NDArray> m, List<NDArray> v, long t) {
        double sumSquares = 0;
        for (NDArray p : w) {
            sumSquares += p.getGradient().square().sum().getFloat();
        }
        double norm = Math.sqrt(sumSquares);
        if (norm > MAX_NORM) {
            float scale = (float) (MAX_NORM / (norm + 1e-6));
            w.forEach(p -> p.getGradient().muli(scale));
        }
        float lrCorrected = (float) (LR * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t)));
        for (int i = 0; i < w.size(); i++) {
            NDArray p = w.get(i);
            p.getNDArrayInternal().adamUpdate(new NDList(p, p.getGradient(), m.get(i), v.get(i)), new NDList(p),
                    (float) LR, lrCorrected, (float) WD, 1f, -1f, 0.9f, 0.999f, 1e-8f, true, true);
        }
        return norm;
    }

    private static void referenceEma(List<NDArray> w, List<NDArray> shadow, double d) {
        for (int i = 0; i < w.size(); i++) {
            if (shadow.size() <= i) {
                shadow.add(w.get(i).duplicate());
            } else {
                shadow.get(i).muli(d).addi(w.get(i).mul(1 - d));
            }
        }
    }

    private static List<NDArray> flatValues(PairList<String, Parameter> params) {
        List<NDArray> out = new ArrayList<>();
        params.forEach(p -> out.add(p.getValue().getArray()));
        return out;
    }

    private static void assertClose(List<NDArray> actual, List<NDArray> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i).getShape()).isEqualTo(expected.get(i).getShape());
            float[] a = actual.get(i).toFloatArray();
            float[] e = expected.get(i).toFloatArray();
            for (int j = 0; j < e.length; j++) {
                assertThat(a[j]).as("array %d element %d", i, j).isCloseTo(e[j], org.assertj.core.api.Assertions.within(1e-6f));
            }
        }
    }
}
