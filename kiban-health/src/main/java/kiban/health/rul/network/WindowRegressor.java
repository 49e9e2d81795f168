package kiban.health.rul.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import kiban.policy.nn.ParameterBlock;

/** A network from a flattened window of cycles {@code (B, window * features)} to one number per window. */
public abstract class WindowRegressor extends ParameterBlock {

    protected final int window;
    protected final int features;
    protected final float dropout;

    protected WindowRegressor(int window, int features, double dropout) {
        this.window = window;
        this.features = features;
        this.dropout = (float) dropout;
    }

    /** The output {@code (B, 1)} for windows {@code (B, window, features)}. */
    protected abstract NDArray regress(ParameterStore store, NDArray windows, boolean training);

    protected final NDArray drop(NDArray x, boolean training) {
        if (!training || dropout == 0) {
            return x;
        }
        return x.getNDArrayInternal().dropout(x, dropout, true).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(regress(store, x.reshape(x.getShape().get(0), window, features), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    public DataType[] getOutputDataTypes() {
        return new DataType[] {DataType.FLOAT32};
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        if (inputShapes[0].get(1) != (long) window * features) {
            throw new IllegalArgumentException("input has " + inputShapes[0].get(1) + " elements, expected "
                    + window + " cycles of " + features + " features");
        }
    }
}
