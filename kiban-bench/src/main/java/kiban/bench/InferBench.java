package kiban.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kiban.core.progress.Progress;
import kiban.policy.model.Networks;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.train.TrainConfig;

/**
 * Batch-1 inference latency of each policy network on the CPU, PushT's shapes, as a control loop
 * would call it: one observation history in, one action chunk out (read back to Java).
 */
public final class InferBench {

    private final int calls;

    public InferBench(int calls) {
        this.calls = calls;
    }

    public List<Measurement> run(List<String> policies, Progress progress) {
        List<Measurement> out = new ArrayList<>();
        for (String policy : policies) {
            TrainConfig config = TrainConfig.defaults().with(c -> c.put("policy", policy));
            PolicyNetwork net = Networks.create(config, TrainBench.OBSERVATION_INPUTS, TrainBench.CHUNK_OUTPUTS);
            try (NDManager root = NDManager.newBaseManager()) {
                net.block().initialize(root, DataType.FLOAT32, net.inputShape());
                ParameterStore store = new ParameterStore(root, false);
                float[] input = new float[TrainBench.OBSERVATION_INPUTS];
                long[] nanos = new long[calls];
                for (int i = -calls / 10; i < calls; i++) {
                    long t0 = System.nanoTime();
                    try (NDManager scratch = root.newSubManager()) {
                        NDArray x = scratch.create(input, new Shape(1, TrainBench.OBSERVATION_INPUTS));
                        net.predict(store, x).toFloatArray();
                    }
                    if (i >= 0) {
                        nanos[i] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(nanos);
                double seconds = Arrays.stream(nanos).sum() / 1e9;
                for (double q : new double[] {0.5, 0.99, 0.999}) {
                    long v = nanos[Math.min(calls - 1, (int) Math.floor(q * calls))];
                    out.add(new Measurement(policy, "batch 1, p" + (q == 0.5 ? "50" : q == 0.99 ? "99" : "99.9"),
                            v / 1e6, "ms", calls, seconds));
                }
            }
            progress.step(1);
        }
        return out;
    }
}
