package kiban.health.rul.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * 1-D convolutions along the cycles ({@code layers} of {@code width} channels, kernel
 * {@value #KERNEL}, padded to keep the window's length, ReLU), as Li et al.'s DCNN, then the
 * flattened maps through a hidden layer to the output.
 */
public final class CnnRegressor extends WindowRegressor {

    static final int KERNEL = 5;
    private static final Initializer HE = new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
            XavierInitializer.FactorType.IN, 2);

    private final List<Parameter[]> convolutions = new ArrayList<>();
    private final Dense hidden;
    private final Dense out;

    public CnnRegressor(int window, int features, int width, int layers, double dropout) {
        super(window, features, dropout);
        int in = features;
        for (int i = 0; i < layers; i++) {
            convolutions.add(new Parameter[] {
                param("conv" + i + "_weight", Parameter.Type.WEIGHT, HE, new Shape(width, in, KERNEL)),
                param("conv" + i + "_bias", Parameter.Type.BIAS, Initializer.ZEROS, new Shape(width))});
            in = width;
        }
        hidden = dense("hidden", (long) width * window, width);
        out = dense("out", width, 1);
    }

    @Override
    protected NDArray regress(ParameterStore store, NDArray windows, boolean training) {
        NDArray x = windows.transpose(0, 2, 1);
        for (Parameter[] conv : convolutions) {
            x = x.getNDArrayInternal().convolution(x, value(store, conv[0], x, training), value(store, conv[1], x, training),
                    new Shape(1), new Shape(KERNEL / 2), new Shape(1), 1).singletonOrThrow();
            x = Activation.relu(x);
        }
        NDArray flat = drop(x.reshape(x.getShape().get(0), -1), training);
        return out.apply(store, drop(Activation.relu(hidden.apply(store, flat, training)), training), training);
    }
}
