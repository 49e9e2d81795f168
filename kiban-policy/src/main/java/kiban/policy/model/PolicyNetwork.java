package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A network from an encoded observation history {@code (B, observationInputs)} to a normalised
 * action chunk {@code (B, horizon * actionDim)}, with the loss it trains on. Its type's
 * {@link PolicyType} builds it; a type may live in any package (open, not sealed, for that).
 */
public interface PolicyNetwork {

    /** The policy type name used in configs and checkpoints. */
    String type();

    Block block();

    /** The block's input shape for a batch of one, to initialise it. */
    Shape inputShape();

    /**
     * The mean training loss of a batch; {@code mask} is 1 where an action is real and 0 where it
     * pads past the episode's end, laid out as {@code actions}.
     */
    NDArray loss(ParameterStore parameters, NDArray observations, NDArray actions, NDArray mask);

    /** Normalised action chunks for a batch of observations. */
    NDArray predict(ParameterStore parameters, NDArray observations);
}
