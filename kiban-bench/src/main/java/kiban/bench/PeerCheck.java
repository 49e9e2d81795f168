package kiban.bench;

import ai.djl.ndarray.NDArray;
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
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.policy.model.PolicyNetwork;

/**
 * Runs a PyTorch peer on Kiban's weights and compares the two sides' velocities, as
 * {@link ImagePeerCheck} and {@link FoundationPeerCheck} do for their networks: Kiban stages a
 * freshly initialised network's weights in its parameter order with their names and shapes, and its
 * velocity at rows, noisy chunks and flow times; the peer's {@code --check} loads the weights and
 * reports how far its velocity lies from Kiban's.
 */
final class PeerCheck {

    /** A network's velocity at rows, noisy chunks and flow times. */
    interface Velocity {
        NDArray at(PolicyNetwork net, ParameterStore store, NDArray rows, NDArray x, NDArray t);
    }

    /** The inputs of the velocity Kiban writes beside its weights, {@code batch} rows of each. */
    record Inputs(int batch, float[] rows, float[] x, float[] t) {}

    /** Writes a stage to a folder; returns the parameter count. */
    interface Stager {
        long stage(Path stage) throws IOException;
    }

    private PeerCheck() {}

    /**
     * Stages the {@code kind} network in a temporary folder, runs {@code script}'s check on it (a
     * sibling of {@code peerScript}) and returns the parameter count on each side and the largest difference of
     * the velocities, as figures; a peer of another parameter count is an error.
     */
    static List<Measurement> run(String kind, String subject, Path peerScript, String script, int rows, Stager stager) {
        Path stage = null;
        try {
            stage = Files.createTempDirectory("kiban-" + kind + "-check");
            long parameters = stager.stage(stage);
            JsonNode r = check(peerScript, script, stage);
            long peer = r.get("parameters").asLong();
            requireSameCount(parameters, peer, script + " --check");
            String torch = "python torch " + r.get("torch").asText();
            return List.of(
                    new Measurement(subject, "parameters, kiban", parameters, "values", 0, 0),
                    new Measurement(subject, "parameters, peer (" + torch + ")", peer, "values", 0, 0),
                    new Measurement(subject, "velocity on kiban's weights, max |kiban - peer| (" + torch + ", max |velocity| "
                            + String.format("%.3f", r.get("max_abs_velocity").asDouble()) + ")",
                            r.get("max_abs_difference").asDouble(), "abs", rows, 0));
        } catch (IOException e) {
            throw new KibanException("cannot write the " + kind + " peer check: " + e.getMessage(), e);
        } finally {
            if (stage != null) {
                PeerServeBench.deleteTree(stage);
            }
        }
    }

    /** Runs {@code script}'s check on a staged folder; a peer that builds another network fails. */
    static JsonNode check(Path peerScript, String script, Path stage) {
        return PythonPeer.run(peerScript.resolveSibling(script), List.of("--check", stage.toString()), Map.of(), 120);
    }

    /**
     * Initialises {@code net} and writes spec.json ({@code spec} with the parameters' names, sizes and
     * shapes), weights.bin, and the inputs and Kiban's velocity at them (rows.bin, x.bin, t.bin,
     * velocity.bin); returns the parameter count.
     */
    static long stage(Path stage, PolicyNetwork net, ObjectNode spec, Inputs in, Velocity velocity) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            net.block().initialize(m, DataType.FLOAT32, net.inputShape());
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
            int b = in.batch();
            float[] v = velocity.at(net, new ParameterStore(m, false), m.create(in.rows(), new Shape(b, in.rows().length / b)),
                    m.create(in.x(), new Shape(b, in.x().length / b)), m.create(in.t(), new Shape(b, 1))).toFloatArray();
            Files.write(stage.resolve("rows.bin"), bytes(in.rows()));
            Files.write(stage.resolve("x.bin"), bytes(in.x()));
            Files.write(stage.resolve("t.bin"), bytes(in.t()));
            Files.write(stage.resolve("velocity.bin"), bytes(v));
            return count;
        }
    }

    /** Refuses a peer run that built a network of another size: its times would be another network's. */
    static void requireSameCount(long kiban, long peer, String what) {
        if (kiban != peer) {
            throw new KibanException(what + " built a network of " + peer + " parameters, Kiban's has " + kiban
                    + ": the two sides would not time the same network");
        }
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }
}
