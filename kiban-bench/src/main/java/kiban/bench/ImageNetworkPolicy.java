package kiban.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.policy.data.ImagePixels;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.nn.IntraOpThreads;

/**
 * A freshly initialised flow image network ({@link ImageNetwork}) behind the {@link Policy}
 * boundary, so the inference benchmark times what a control loop's call costs without a training
 * run: each observation's state and recorded camera frame (HWC bytes) become an input row as
 * {@link kiban.policy.run.TrainedPolicy} lays it out ({@link ImagePixels}: CHW values in [0, 1]),
 * one forward pass on the threads a trained policy's would ({@link IntraOpThreads}), the chunk read
 * back to Java. States are not normalised: a fresh network has no statistics, and scaling two
 * numbers is not what is timed.
 */
final class ImageNetworkPolicy implements Policy {

    private final ImageNetwork network;
    private final ImageSpec camera = ImageNetwork.camera();
    private final PolicyNetwork net;
    private final NDManager manager = NDManager.newBaseManager();
    private final ParameterStore store;
    private final PolicyMetadata metadata;

    ImageNetworkPolicy(ImageNetwork network) {
        this.network = network;
        net = network.create();
        net.block().initialize(manager, DataType.FLOAT32, net.inputShape());
        store = new ParameterStore(manager, false);
        int horizon = network.config().horizon();
        metadata = new PolicyMetadata("flow", List.of(feature("agent_pos", ImageNetwork.STATE_DIM)),
                List.of(feature("action", NetworkPolicy.ACTION_DIM)), network.steps(), horizon, horizon / 2, List.of(),
                List.of(camera));
    }

    private static FeatureSpec feature(String name, int size) {
        return new FeatureSpec(name, "", List.of(size), List.of(), java.util.Collections.nCopies(size, -1.0),
                java.util.Collections.nCopies(size, 1.0), List.of());
    }

    long parameterCount() {
        return ImageNetwork.parameterCount(net);
    }

    @Override
    public PolicyMetadata metadata() {
        return metadata;
    }

    @Override
    public double[][][] inferBatch(PolicyObservation[][] histories) {
        int b = histories.length;
        int steps = network.steps();
        int inputs = network.inputs();
        float[] input = new float[b * inputs];
        for (int r = 0; r < b; r++) {
            int row = r * inputs;
            for (int k = 0; k < steps; k++) {
                double[] s = histories[r][k].state();
                for (int i = 0; i < ImageNetwork.STATE_DIM; i++) {
                    input[row + k * ImageNetwork.STATE_DIM + i] = (float) s[i];
                }
            }
            int at = row + steps * ImageNetwork.STATE_DIM;
            for (int k = 0; k < steps; k++) {
                ImagePixels.toChw(histories[r][k].image(camera), camera, input, at);
                at += camera.bytes();
            }
        }
        IntraOpThreads.use(b);
        float[] out;
        try (NDManager scratch = manager.newSubManager()) {
            out = net.predict(store, scratch.create(input, new Shape(b, inputs))).toFloatArray();
        }
        int horizon = network.config().horizon();
        double[][][] chunks = new double[b][horizon][NetworkPolicy.ACTION_DIM];
        for (int r = 0; r < b; r++) {
            for (int h = 0; h < horizon; h++) {
                for (int a = 0; a < NetworkPolicy.ACTION_DIM; a++) {
                    chunks[r][h][a] = out[r * network.chunkOutputs() + h * NetworkPolicy.ACTION_DIM + a];
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
