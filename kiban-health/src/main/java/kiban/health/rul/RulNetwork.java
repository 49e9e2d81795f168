package kiban.health.rul;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import kiban.health.rul.network.CnnRegressor;
import kiban.health.rul.network.DcnnRegressor;
import kiban.health.rul.network.LinearRegressor;
import kiban.health.rul.network.LstmRegressor;
import kiban.health.rul.network.TransformerRegressor;
import kiban.health.rul.network.WindowRegressor;
import kiban.policy.model.Losses;
import kiban.policy.model.PolicyNetwork;

/**
 * A RUL network seen as the policies' {@link PolicyNetwork} (a window in, one number out, mean
 * squared error), so that the policies' {@link kiban.policy.train.TrainStep} trains it with the
 * same AdamW, gradient clipping and EMA. It regresses the RUL divided by the cap, a target in [0, 1].
 */
public final class RulNetwork implements PolicyNetwork {

    private final RulModelType type;
    private final WindowRegressor block;
    private final int inputs;

    public RulNetwork(RulConfig config, int features) {
        this.type = config.model();
        this.inputs = config.window() * features;
        this.block = switch (config.model()) {
            case CNN -> new CnnRegressor(config.window(), features, config.width(), config.layers(), config.dropout());
            case DCNN -> new DcnnRegressor(config.window(), features, config.width(), config.layers(), config.dropout());
            case LSTM -> new LstmRegressor(config.window(), features, config.width(), config.layers(), config.dropout());
            case TRANSFORMER -> new TransformerRegressor(config.window(), features, config.width(), config.layers(),
                    config.dropout());
            case LINEAR -> new LinearRegressor(config.window(), features);
        };
    }

    @Override
    public String type() {
        return "rul-" + type.id();
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public Shape inputShape() {
        return new Shape(1, inputs);
    }

    public int inputs() {
        return inputs;
    }

    @Override
    public NDArray loss(ParameterStore parameters, NDArray observations, NDArray actions, NDArray mask) {
        NDArray predicted = block.forward(parameters, new ai.djl.ndarray.NDList(observations), true).singletonOrThrow();
        return Losses.maskedMse(predicted, actions, mask);
    }

    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return block.forward(parameters, new ai.djl.ndarray.NDList(observations), false).singletonOrThrow();
    }
}
