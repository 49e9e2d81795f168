package kiban.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.error.KibanException;
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
        String subject = subject(network);
        Path stage = null;
        try {
            stage = Files.createTempDirectory("kiban-image-check");
            long parameters = stage(stage, network);
            JsonNode r = check(peerScript, stage);
            long peer = r.get("parameters").asLong();
            requireSameCount(parameters, peer, "image_policy.py --check");
            String torch = "python torch " + r.get("torch").asText();
            return List.of(
                    new Measurement(subject, "parameters, kiban", parameters, "values", 0, 0),
                    new Measurement(subject, "parameters, peer (" + torch + ")", peer, "values", 0, 0),
                    new Measurement(subject, "velocity on kiban's weights, max |kiban - peer| (" + torch + ", max |velocity| "
                            + String.format("%.3f", r.get("max_abs_velocity").asDouble()) + ")",
                            r.get("max_abs_difference").asDouble(), "abs", ROWS, 0));
        } catch (IOException e) {
            throw new KibanException("cannot write the image peer check: " + e.getMessage(), e);
        } finally {
            if (stage != null) {
                PeerServeBench.deleteTree(stage);
            }
        }
    }

    /** Runs the peer's check on a folder {@link #stage} wrote; a peer that builds another network fails. */
    static JsonNode check(Path peerScript, Path stage) {
        return PythonPeer.run(peerScript.resolveSibling("image_policy.py"), List.of("--check", stage.toString()), Map.of(), 120);
    }

    /** Writes a freshly initialised network of {@code network}'s and its velocity to {@code stage}; returns its parameter count. */
    static long stage(Path stage, ImageNetwork network) throws IOException {
        PolicyNetwork net = network.create();
        try (NDManager m = NDManager.newBaseManager()) {
            net.block().initialize(m, DataType.FLOAT32, net.inputShape());
            return write(stage, net, network, m);
        }
    }

    /** The figures' subject: the policy and its camera encoder. */
    static String subject(ImageNetwork network) {
        return "flow+" + network.encoder() + " " + ImageNetwork.SIZE + "x" + ImageNetwork.SIZE;
    }

    /** Refuses a peer run that built a network of another size: its times would be another network's. */
    static void requireSameCount(long kiban, long peer, String what) {
        if (kiban != peer) {
            throw new KibanException(what + " built a network of " + peer + " parameters, Kiban's has " + kiban
                    + ": the two sides would not time the same network");
        }
    }

    /** Writes spec.json, weights.bin and the inputs and Kiban's velocity; returns the parameter count. */
    private static long write(Path stage, PolicyNetwork net, ImageNetwork network, NDManager m) throws IOException {
        ObjectNode spec = Json.object();
        spec.put("image_encoder", network.encoder()).put("image_size", ImageNetwork.SIZE)
                .put("image_features", network.config().imageFeatureDim()).put("state_dim", ImageNetwork.STATE_DIM)
                .put("observation_steps", network.steps()).put("horizon", network.config().horizon())
                .put("action_dim", NetworkPolicy.ACTION_DIM).put("batch", ROWS);
        PythonPeer.flow(network.config()).hidden().forEach(spec.putArray("hidden")::add);
        ArrayNode list = spec.putArray("parameters");
        long count = 0;
        try (var weights = Files.newOutputStream(stage.resolve("weights.bin"))) {
            for (Pair<String, Parameter> p : net.block().getParameters()) {
                NDArray a = p.getValue().getArray();
                ObjectNode entry = list.addObject().put("name", p.getKey()).put("size", a.size());
                ArrayNode shape = entry.putArray("shape");
                for (long d : a.getShape().getShape()) {
                    shape.add(d);
                }
                count += a.size();
                weights.write(bytes(a.toFloatArray()));
            }
        }
        Files.writeString(stage.resolve("spec.json"), Json.pretty(spec));
        SplittableRandom r = new SplittableRandom(1);
        float[] rows = network.randomBatch(ROWS, r).observations();
        int chunk = network.chunkOutputs();
        float[] x = new float[ROWS * chunk];
        float[] t = new float[ROWS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) r.nextDouble();
        }
        float[] v = velocity(net, new ParameterStore(m, false), m.create(rows, new Shape(ROWS, network.inputs())),
                m.create(x, new Shape(ROWS, chunk)), m.create(t, new Shape(ROWS, 1))).toFloatArray();
        Files.write(stage.resolve("rows.bin"), bytes(rows));
        Files.write(stage.resolve("x.bin"), bytes(x));
        Files.write(stage.resolve("t.bin"), bytes(t));
        Files.write(stage.resolve("velocity.bin"), bytes(v));
        return count;
    }

    /** FlowNetwork's velocity with its MLP head: [conditioning, noisy chunk, time features] into the head. */
    private static NDArray velocity(PolicyNetwork net, ParameterStore store, NDArray rows, NDArray x, NDArray t) {
        ImageConditionedBlock block = (ImageConditionedBlock) net.block();
        NDArray input = block.condition(store, rows, false).concat(x, 1).concat(FlowSampling.timeFeatures(t), 1);
        return block.head().forward(store, new NDList(input), false).singletonOrThrow();
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }
}
