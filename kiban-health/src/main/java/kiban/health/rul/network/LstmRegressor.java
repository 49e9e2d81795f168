package kiban.health.rul.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * A stacked LSTM of {@code layers} layers of {@code width} units over the cycles (libtorch's fused
 * kernel), its output at the window's last cycle through a hidden layer to the output, as Zheng
 * et al. 2017.
 */
public final class LstmRegressor extends WindowRegressor {

    private final int width;
    private final int layers;
    /** Per layer: input-to-gates and hidden-to-gates, each a weight and a bias, in libtorch's order. */
    private final List<Dense[]> cells = new ArrayList<>();
    private final Dense hidden;
    private final Dense out;

    public LstmRegressor(int window, int features, int width, int layers, double dropout) {
        super(window, features, dropout);
        this.width = width;
        this.layers = layers;
        int in = features;
        for (int i = 0; i < layers; i++) {
            cells.add(new Dense[] {dense("lstm" + i + "_ih", in, 4L * width), dense("lstm" + i + "_hh", width, 4L * width)});
            in = width;
        }
        hidden = dense("hidden", width, width);
        out = dense("out", width, 1);
    }

    @Override
    protected NDArray regress(ParameterStore store, NDArray windows, boolean training) {
        NDList params = new NDList();
        for (Dense[] cell : cells) {
            params.add(value(store, cell[0].weight(), windows, training));
            params.add(value(store, cell[1].weight(), windows, training));
            params.add(value(store, cell[0].bias(), windows, training));
            params.add(value(store, cell[1].bias(), windows, training));
        }
        Shape state = new Shape(layers, windows.getShape().get(0), width);
        NDList initial = new NDList(windows.getManager().zeros(state), windows.getManager().zeros(state));
        NDArray sequence = windows.getNDArrayInternal().lstm(windows, initial, params, true, layers,
                training ? dropout : 0, training, false, true).get(0);
        NDArray last = sequence.get(new NDIndex(":, -1, :"));
        return out.apply(store, drop(Activation.relu(hidden.apply(store, drop(last, training), training)), training), training);
    }
}
