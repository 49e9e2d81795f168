package kiban.health.rul.network;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** One linear map from the whole window to the output: the baseline. */
public final class LinearRegressor extends WindowRegressor {

    private final Dense out;

    public LinearRegressor(int window, int features) {
        super(window, features, 0);
        out = dense("out", (long) window * features, 1);
    }

    @Override
    protected NDArray regress(ParameterStore store, NDArray windows, boolean training) {
        return out.apply(store, windows.reshape(windows.getShape().get(0), -1), training);
    }
}
