package kiban.health.rul.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import kiban.policy.nn.TransformerLayer;

/**
 * A small transformer encoder: each cycle's features projected to {@code width}, a learned
 * position embedding added, {@code layers} pre-norm layers of {@value #HEADS}-head self-attention
 * (the policies' {@link TransformerLayer}), then the mean over the cycles through a hidden layer
 * to the output.
 */
public final class TransformerRegressor extends WindowRegressor {

    static final int HEADS = 4;

    private final Dense in;
    private final Parameter positions;
    private final List<TransformerLayer> encoder = new ArrayList<>();
    private final Norm norm;
    private final Dense hidden;
    private final Dense out;

    public TransformerRegressor(int window, int features, int width, int layers, double dropout) {
        super(window, features, dropout);
        if (width % HEADS != 0) {
            throw new IllegalArgumentException("the transformer's width " + width + " must divide into " + HEADS + " heads");
        }
        in = dense("in", features, width);
        positions = embedding("positions", new Shape(window, width));
        for (int i = 0; i < layers; i++) {
            encoder.add(TransformerLayer.of(this, "layer" + i + "_", width));
        }
        norm = norm("norm", width);
        hidden = dense("hidden", width, width);
        out = dense("out", width, 1);
    }

    @Override
    protected NDArray regress(ParameterStore store, NDArray windows, boolean training) {
        NDArray x = in.apply(store, windows, training).add(value(store, positions, windows, training));
        for (TransformerLayer layer : encoder) {
            x = drop(layer.apply(store, x, HEADS, training), training);
        }
        NDArray pooled = norm.apply(store, x, training).mean(new int[] {1});
        return out.apply(store, Activation.gelu(hidden.apply(store, pooled, training)), training);
    }
}
