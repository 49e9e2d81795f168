package kiban.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Collections;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.model.Networks;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.TrainConfig;

/**
 * A freshly initialised policy network with PushT's sizes (two observations of six, chunks of 16 x 2)
 * behind the {@link Policy} boundary, so benchmarks time a real forward pass without a training run.
 * A batch runs as one forward pass on the threads a trained policy's would ({@link IntraOpThreads}).
 */
final class NetworkPolicy implements Policy {

    static final int OBSERVATION_STEPS = 2;
    static final int OBSERVATION_DIM = TrainBench.OBSERVATION_INPUTS / OBSERVATION_STEPS;
    static final int ACTION_DIM = 2;
    static final int HORIZON = TrainBench.CHUNK_OUTPUTS / ACTION_DIM;

    private final PolicyNetwork net;
    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore store;
    private final PolicyMetadata metadata;

    NetworkPolicy(String policy) {
        net = Networks.create(TrainConfig.defaults().with(c -> c.put("policy", policy)), TrainBench.OBSERVATION_INPUTS,
                TrainBench.CHUNK_OUTPUTS);
        net.block().initialize(manager, DataType.FLOAT32, net.inputShape());
        store = new ParameterStore(manager, false);
        metadata = new PolicyMetadata(policy, List.of(feature("state", OBSERVATION_DIM)), List.of(feature("action", ACTION_DIM)),
                OBSERVATION_STEPS, HORIZON, HORIZON / 2);
    }

    private static FeatureSpec feature(String name, int size) {
        return new FeatureSpec(name, "", List.of(size), List.of(), Collections.nCopies(size, -1.0), Collections.nCopies(size, 1.0),
                List.of());
    }

    @Override
    public PolicyMetadata metadata() {
        return metadata;
    }

    @Override
    public double[][] infer(double[][] history) {
        return inferBatch(new double[][][] {history})[0];
    }

    @Override
    public double[][][] inferBatch(double[][][] histories) {
        IntraOpThreads.use(histories.length);
        return forward(histories);
    }

    /** One forward pass on the calling thread's current intra-op threads. */
    double[][][] forward(double[][][] histories) {
        int b = histories.length;
        float[] input = new float[b * TrainBench.OBSERVATION_INPUTS];
        int i = 0;
        for (double[][] h : histories) {
            for (double[] o : h) {
                for (double v : o) {
                    input[i++] = (float) v;
                }
            }
        }
        float[] out;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.create(input, new Shape(b, TrainBench.OBSERVATION_INPUTS));
            out = net.predict(store, x).toFloatArray();
        }
        double[][][] chunks = new double[b][HORIZON][ACTION_DIM];
        for (int k = 0; k < b; k++) {
            for (int h = 0; h < HORIZON; h++) {
                for (int a = 0; a < ACTION_DIM; a++) {
                    chunks[k][h][a] = out[k * TrainBench.CHUNK_OUTPUTS + h * ACTION_DIM + a];
                }
            }
        }
        return chunks;
    }

    @Override
    public void close() {
        manager.close();
    }
}
