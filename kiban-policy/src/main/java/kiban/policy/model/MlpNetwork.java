package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import kiban.policy.nn.Blocks;

/** Behaviour cloning: an MLP regresses the whole action chunk, trained on masked mean squared error. */
public final class MlpNetwork implements PolicyNetwork {

    public static final String TYPE = "mlp";

    private final Conditioning net;

    public MlpNetwork(ObservationLayout layout, int chunkOutputs, List<Integer> hidden) {
        this.net = new Conditioning(layout, Blocks.mlp(hidden, chunkOutputs), new Shape(1, layout.conditionDim()));
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
        return Losses.maskedMse(predicted, actions, mask);
    }

    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return net.head(parameters, net.condition(parameters, observations, false), false);
    }
}
