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
import kiban.core.policy.PolicyObservation;
import kiban.policy.foundation.FoundationConfig;
import kiban.policy.foundation.FoundationNetworks;
import kiban.policy.model.Networks;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.TrainConfig;

/**
 * A freshly initialised policy network with PushT's sizes (two observations of six, chunks of 16 x 2)
 * behind the {@link Policy} boundary, so benchmarks time a real forward pass without a training run.
 * A batch runs as one forward pass on the threads a trained policy's would ({@link IntraOpThreads}).
 * The foundation policy's network (its default config, one embodiment of these sizes) is fed the
 * rows {@link kiban.policy.foundation.FoundationPolicy} lays out: the embodiment's index, the
 * states, and the word ids of {@link #INSTRUCTION}.
 */
final class NetworkPolicy implements Policy {

    static final int OBSERVATION_STEPS = 2;
    static final int OBSERVATION_DIM = TrainBench.OBSERVATION_INPUTS / OBSERVATION_STEPS;
    static final int ACTION_DIM = 2;
    static final int HORIZON = TrainBench.CHUNK_OUTPUTS / ACTION_DIM;
    /** The instruction the foundation policy is given: PushT's task in words. */
    static final String INSTRUCTION = "push the T block into the target";

    /** Each row's elements before the history (the embodiment's index) and after it (word ids); none for the others. */
    private final float[] prefix;
    private final float[] suffix;
    private final int inputs;
    private final PolicyNetwork net;
    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore store;
    private final PolicyMetadata metadata;

    NetworkPolicy(String policy) {
        if (policy.equals(FoundationConfig.POLICY)) {
            FoundationConfig config = FoundationConfig.defaults();
            net = FoundationNetworks.create(config, OBSERVATION_DIM, ACTION_DIM);
            prefix = new float[] {0};
            suffix = config.tokens().encode(INSTRUCTION);
        } else {
            net = Networks.create(TrainConfig.defaults().with(c -> c.put("policy", policy)), TrainBench.OBSERVATION_INPUTS,
                    TrainBench.CHUNK_OUTPUTS);
            prefix = new float[0];
            suffix = new float[0];
        }
        inputs = prefix.length + TrainBench.OBSERVATION_INPUTS + suffix.length;
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
    public double[][][] inferBatch(PolicyObservation[][] histories) {
        double[][][] states = new double[histories.length][][];
        for (int b = 0; b < states.length; b++) {
            states[b] = PolicyObservation.states(histories[b]);
        }
        IntraOpThreads.use(histories.length);
        return forward(states);
    }

    /** One forward pass on the calling thread's current intra-op threads. */
    double[][][] forward(double[][][] histories) {
        int b = histories.length;
        float[] input = new float[b * inputs];
        int i = 0;
        for (double[][] h : histories) {
            System.arraycopy(prefix, 0, input, i, prefix.length);
            i += prefix.length;
            for (double[] o : h) {
                for (double v : o) {
                    input[i++] = (float) v;
                }
            }
            System.arraycopy(suffix, 0, input, i, suffix.length);
            i += suffix.length;
        }
        float[] out;
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.create(input, new Shape(b, inputs));
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
