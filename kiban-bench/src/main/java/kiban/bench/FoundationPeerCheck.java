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
import java.util.SplittableRandom;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.policy.foundation.FoundationConfig;
import kiban.policy.foundation.FoundationNetworks;
import kiban.policy.model.PolicyNetwork;

/**
 * Shows that the foundation benchmarks' PyTorch peer ({@code bench/peers/foundation.py}) computes
 * Kiban's network: Kiban writes a freshly initialised network's weights in its parameter order with
 * their names and shapes, and its velocity at random rows, noisy chunks and flow times; the peer
 * refuses parameters of other names or shapes, loads the weights and reports how far its velocity
 * lies from Kiban's.
 */
final class FoundationPeerCheck {

    private static final int ROWS = 4;

    private FoundationPeerCheck() {}

    /** The parameter count on each side and the largest difference of the velocities, as figures. */
    static List<Measurement> run(Path peerScript, FoundationConfig config, int stateDim, int actionDim) {
        PolicyNetwork net = FoundationNetworks.create(config, stateDim, actionDim);
        Path stage = null;
        try (NDManager m = NDManager.newBaseManager()) {
            net.block().initialize(m, DataType.FLOAT32, net.inputShape());
            stage = Files.createTempDirectory("kiban-foundation-check");
            long parameters = write(stage, net, config, stateDim, actionDim, m);
            JsonNode r = PythonPeer.run(peerScript.resolveSibling("foundation.py"), List.of("--check", stage.toString()),
                    Map.of(), 120);
            String torch = "python torch " + r.get("torch").asText();
            return List.of(
                    new Measurement(FoundationConfig.POLICY, "parameters, kiban", parameters, "values", 0, 0),
                    new Measurement(FoundationConfig.POLICY, "parameters, peer (" + torch + ")", r.get("parameters").asLong(),
                            "values", 0, 0),
                    new Measurement(FoundationConfig.POLICY, "velocity on kiban's weights, max |kiban - peer| (" + torch
                            + ", max |velocity| " + String.format("%.3f", r.get("max_abs_velocity").asDouble()) + ")",
                            r.get("max_abs_difference").asDouble(), "abs", ROWS, 0));
        } catch (IOException e) {
            throw new KibanException("cannot write the foundation peer check: " + e.getMessage(), e);
        } finally {
            if (stage != null) {
                PeerServeBench.deleteTree(stage);
            }
        }
    }

    /** Writes spec.json, weights.bin and the inputs and Kiban's velocity; returns the parameter count. */
    private static long write(Path stage, PolicyNetwork net, FoundationConfig config, int stateDim, int actionDim, NDManager m)
            throws IOException {
        ObjectNode spec = Json.object();
        spec.put("state_dim", stateDim).put("action_dim", actionDim).put("observation_steps", config.observationSteps())
                .put("horizon", config.horizon()).put("model_dim", config.modelDim()).put("heads", config.heads())
                .put("layers", config.layers()).put("max_tokens", config.maxTokens()).put("vocabulary", config.vocabulary())
                .put("batch", ROWS);
        ArrayNode list = spec.putArray("parameters");
        long count = 0;
        try (var weights = Files.newOutputStream(stage.resolve("weights.bin"))) {
            for (Pair<String, Parameter> p : net.block().getParameters()) {
                NDArray a = p.getValue().getArray();
                ArrayNode shape = list.addObject().put("name", p.getKey()).putArray("shape");
                for (long d : a.getShape().getShape()) {
                    shape.add(d);
                }
                count += a.size();
                weights.write(bytes(a.toFloatArray()));
            }
        }
        Files.writeString(stage.resolve("spec.json"), Json.pretty(spec));
        long inputs = net.inputShape().get(1);
        int chunk = config.horizon() * actionDim;
        SplittableRandom r = new SplittableRandom(1);
        float[] rows = new float[(int) (ROWS * inputs)];
        float[] x = new float[ROWS * chunk];
        float[] t = new float[ROWS];
        int statesEnd = 1 + config.observationSteps() * stateDim;
        for (int b = 0; b < ROWS; b++) {
            for (int i = 1; i < inputs; i++) {
                rows[(int) (b * inputs + i)] = i < statesEnd ? (float) r.nextGaussian() : r.nextInt(config.vocabulary() + 1);
            }
            t[b] = (float) r.nextDouble();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] v = FoundationNetworks.velocity(net, new ParameterStore(m, false), m.create(rows, new Shape(ROWS, inputs)),
                m.create(x, new Shape(ROWS, chunk)), m.create(t, new Shape(ROWS, 1))).toFloatArray();
        Files.write(stage.resolve("rows.bin"), bytes(rows));
        Files.write(stage.resolve("x.bin"), bytes(x));
        Files.write(stage.resolve("t.bin"), bytes(t));
        Files.write(stage.resolve("velocity.bin"), bytes(v));
        return count;
    }

    private static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }
}
