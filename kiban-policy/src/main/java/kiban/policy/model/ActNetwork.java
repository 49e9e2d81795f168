package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import kiban.policy.nn.ActTransformer;

/**
 * ACT (Action Chunking with Transformers, Zhao et al. 2023) without its CVAE: a transformer
 * encoder over the observation tokens and a decoder of one learned query per chunk step, trained
 * on L1 loss as ACT is. Without the CVAE's style latent the policy is deterministic (ACT runs
 * its latent at zero at inference anyway); evaluate it with temporal ensembling
 * ({@code kiban eval --execution ensemble}, the default for this policy).
 */
public final class ActNetwork implements PolicyNetwork {

    public static final String TYPE = "act";

    private final Conditioning net;

    /**
     * @param dims the transformer's, whose step inputs are the conditioning of one step (with the
     *     instruction's features at the end of every step's token, for a policy that reads them)
     */
    public ActNetwork(ObservationLayout layout, ActTransformer.Dims dims) {
        if (dims.steps() != layout.steps() || dims.stepInputs() != layout.tokenDim()) {
            throw new IllegalArgumentException("the transformer reads " + dims.steps() + " x " + dims.stepInputs()
                    + " inputs, but the conditioning has " + layout.steps() + " x " + layout.tokenDim());
        }
        this.net = new Conditioning(layout, new ActTransformer(dims),
                new Shape(1, (long) dims.steps() * dims.stepInputs()), true);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block block() {
        return net.block();
    }

    @Override
    public Shape inputShape() {
        return net.inputShape();
    }

    @Override
    public NDArray loss(ParameterStore parameters, NDArray observations, NDArray actions, NDArray mask) {
        NDArray predicted = net.head(parameters, net.condition(parameters, observations, true), true);
        return Losses.maskedL1(predicted, actions, mask);
    }

    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return net.head(parameters, net.condition(parameters, observations, false), false);
    }
}
