package kiban.policy.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

class AdamWTest {

    /** Two steps on f(w) = w^2 from w = 1, against the update rule worked by hand (Kingma and Ba's form). */
    @Test
    void matchesTheAdamWUpdateRule() {
        try (NDManager m = NDManager.newBaseManager(); AdamW opt = new AdamW(m, 0.9, 0.999, 1e-8, 0.01)) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(m.create(new float[] {1f}));
            PairList<String, Parameter> params = new PairList<>();
            params.add("w", p);
            FlatParameters flat = new FlatParameters(params, m);
            opt.bind(flat);
            p.getArray().setRequiresGradient(true);
            double w = 1;
            double mom = 0;
            double vel = 0;
            for (int t = 1; t <= 2; t++) {
                try (NDManager scratch = m.newSubManager()) {
                    try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = p.getArray().square().sum();
                        c.backward(loss);
                    }
                    opt.update(flat.gatherGradients(scratch), 0.1, 1f);
                    flat.zeroGradients();
                }
                double g = 2 * w;
                mom = 0.9 * mom + 0.1 * g;
                vel = 0.999 * vel + 0.001 * g * g;
                double lrCorrected = 0.1 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                w = w * (1 - 0.1 * 0.01) - lrCorrected * mom / (Math.sqrt(vel) + 1e-8);
                // float32 arithmetic on the native side: agree to about 10 ulp.
                assertThat((double) p.getArray().getFloat()).isCloseTo(w, within(1e-5));
            }
            assertThat(opt.step()).isEqualTo(2);
        }
    }
}
