package kiban.policy.linear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import kiban.policy.model.MlpNetwork;
import kiban.policy.model.ObservationLayout;
import kiban.policy.model.PolicyNetwork;

/** An MLP of one hidden layer under its own type name: a network defined outside kiban.policy.model. */
final class LinearNetwork implements PolicyNetwork {

    private final MlpNetwork net;

    LinearNetwork(ObservationLayout layout, int chunkOutputs, int width) {
        this.net = new MlpNetwork(layout, chunkOutputs, List.of(width));
    }

    @Override
    public String type() {
        return LinearType.NAME;
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
        return net.loss(parameters, observations, actions, mask);
    }

    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return net.predict(parameters, observations);
    }
}
