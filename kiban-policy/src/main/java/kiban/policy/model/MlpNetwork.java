package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import kiban.policy.nn.Blocks;

/** Behaviour cloning: an MLP regresses the whole action chunk, trained on masked mean squared error. */
public final class MlpNetwork implements PolicyNetwork {

    public static final String TYPE = "mlp";

    private final int observationInputs;
    private final Block block;

    public MlpNetwork(int observationInputs, int chunkOutputs, List<Integer> hidden) {
        this.observationInputs = observationInputs;
        this.block = Blocks.mlp(hidden, chunkOutputs);
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
        return new Shape(1, observationInputs);
    }

    @Override
    public NDArray loss(ParameterStore parameters, NDArray observations, NDArray actions, NDArray mask) {
        NDArray predicted = block.forward(parameters, new NDList(observations), true).singletonOrThrow();
        return Losses.maskedMse(predicted, actions, mask);
    }

    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return block.forward(parameters, new NDList(observations), false).singletonOrThrow();
    }
}
