package kiban.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
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
        return PeerCheck.run("foundation", FoundationConfig.POLICY, peerScript, "foundation.py", ROWS,
                stage -> stage(stage, config, stateDim, actionDim));
    }

    /** Writes spec.json, weights.bin and the inputs and Kiban's velocity; returns the parameter count. */
    private static long stage(Path stage, FoundationConfig config, int stateDim, int actionDim) throws IOException {
        PolicyNetwork net = FoundationNetworks.create(config, stateDim, actionDim);
        ObjectNode spec = Json.object();
        spec.put("state_dim", stateDim).put("action_dim", actionDim).put("observation_steps", config.observationSteps())
                .put("horizon", config.horizon()).put("model_dim", config.modelDim()).put("heads", config.heads())
                .put("layers", config.layers()).put("max_tokens", config.maxTokens()).put("vocabulary", config.vocabulary())
                .put("batch", ROWS);
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
        return PeerCheck.stage(stage, net, spec, new PeerCheck.Inputs(ROWS, rows, x, t), FoundationNetworks::velocity);
    }
}
