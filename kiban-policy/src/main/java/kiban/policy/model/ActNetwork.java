package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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

    private final ActTransformer block;

    public ActNetwork(ActTransformer.Dims dims) {
        this.block = new ActTransformer(dims);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public Shape inputShape() {
        return new Shape(1, (long) block.dims().steps() * block.dims().stepInputs());
    }

    @Override
    public NDArray loss(ParameterStore parameters, NDArray observations, NDArray actions, NDArray mask) {
        NDArray predicted = block.forward(parameters, new NDList(observations), true).singletonOrThrow();
        return Losses.maskedL1(predicted, actions, mask);
    }

    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return block.forward(parameters, new NDList(observations), false).singletonOrThrow();
    }
}
