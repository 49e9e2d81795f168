package kiban.policy.foundation;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.run.TrainConfig;

/**
 * Foundation networks made outside a training run, for benchmarks that time them beside a
 * reimplementation in another framework: a network of one embodiment, fed the padded rows
 * {@link FoundationNetwork} describes, and its velocity at a given noisy chunk and flow time, so
 * that the reimplementation can be checked to compute the same function on the same weights.
 */
public final class FoundationNetworks {

    private FoundationNetworks() {}

    /**
     * An uninitialised network of {@code config}'s trunk with one embodiment's heads:
     * {@code stateDim} encoded state elements per observation step, {@code actionDim} per chunk row.
     */
    public static PolicyNetwork create(FoundationConfig config, int stateDim, int actionDim) {
        FoundationDims dims = new FoundationDims(java.util.List.of(new FoundationDims.Sizes(stateDim, actionDim)),
                config.observationSteps(), config.horizon(), config.modelDim(), config.heads(), config.layers(), config.tokens(),
                config.loraRank());
        return new FoundationNetwork(dims, config.flowSteps());
    }

    /** The optimiser's and EMA's settings of {@code config}, as its trainer hands them to the training step. */
    public static TrainConfig optimisation(FoundationConfig config) {
        return config.optimisation();
    }

    /**
     * The velocity {@code (B, horizon * actionDim)} of a network {@link #create} made, for padded
     * rows {@code (B, inputs)}, noisy chunks {@code x} and flow times {@code t (B, 1)}: one Euler
     * step's network call.
     */
    public static NDArray velocity(PolicyNetwork net, ParameterStore parameters, NDArray rows, NDArray x, NDArray t) {
        if (!(net instanceof FoundationNetwork f)) {
            throw new IllegalArgumentException("not a foundation network: " + net.type());
        }
        return f.velocity(parameters, rows, x, t);
    }
}
