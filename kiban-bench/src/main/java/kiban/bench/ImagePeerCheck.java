package kiban.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import kiban.core.json.Json;
import kiban.policy.model.FlowSampling;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.nn.ImageConditionedBlock;

/**
 * Shows that the image benchmarks' PyTorch peer ({@code bench/peers/image_policy.py}) computes
 * Kiban's flow image network: Kiban writes a freshly initialised network's weights in its parameter
 * order with their shapes, and its velocity at random rows (states and frames), noisy chunks and
 * flow times; the peer refuses parameters of other shapes or count, loads the weights and reports
 * how far its velocity lies from Kiban's. A peer whose parameter count differs is an error here too,
 * so no figure is ever printed beside a different network.
 */
final class ImagePeerCheck {

    private static final int ROWS = 2;

    private ImagePeerCheck() {}

    /** The parameter count on each side and the largest difference of the velocities, as figures. */
    static List<Measurement> run(Path peerScript, ImageNetwork network) {
        return PeerCheck.run("image", subject(network), peerScript, "image_policy.py", ROWS, stage -> stage(stage, network));
    }

    /** Runs the peer's check on a folder {@link #stage} wrote; a peer that builds another network fails. */
    static JsonNode check(Path peerScript, Path stage) {
        return PeerCheck.check(peerScript, "image_policy.py", stage);
    }

    /** Writes a freshly initialised network of {@code network}'s and its velocity to {@code stage}; returns its parameter count. */
    static long stage(Path stage, ImageNetwork network) throws IOException {
        ObjectNode spec = Json.object();
        spec.put("image_encoder", network.encoder()).put("image_size", ImageNetwork.SIZE)
                .put("image_features", network.config().imageFeatureDim()).put("state_dim", ImageNetwork.STATE_DIM)
                .put("observation_steps", network.steps()).put("horizon", network.config().horizon())
                .put("action_dim", NetworkPolicy.ACTION_DIM).put("batch", ROWS);
        PythonPeer.flow(network.config()).hidden().forEach(spec.putArray("hidden")::add);
        SplittableRandom r = new SplittableRandom(1);
        float[] rows = network.randomBatch(ROWS, r).observations();
        float[] x = new float[ROWS * network.chunkOutputs()];
        float[] t = new float[ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) r.nextDouble();
        }
        return PeerCheck.stage(stage, network.create(), spec, new PeerCheck.Inputs(ROWS, rows, x, t), ImagePeerCheck::velocity);
    }

    /** The figures' subject: the policy and its camera encoder. */
    static String subject(ImageNetwork network) {
        return "flow+" + network.encoder() + " " + ImageNetwork.SIZE + "x" + ImageNetwork.SIZE;
    }

    /** FlowNetwork's velocity with its MLP head: [conditioning, noisy chunk, time features] into the head. */
    private static NDArray velocity(PolicyNetwork net, ParameterStore store, NDArray rows, NDArray x, NDArray t) {
        ImageConditionedBlock block = (ImageConditionedBlock) net.block();
        NDArray input = block.condition(store, rows, false).concat(x, 1).concat(FlowSampling.timeFeatures(t), 1);
        return block.head().forward(store, new NDList(input), false).singletonOrThrow();
    }
}
