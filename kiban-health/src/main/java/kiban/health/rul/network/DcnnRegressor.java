package kiban.health.rul.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * Li et al. 2018's DCNN: the window as a one-channel image of cycles by sensors, {@code layers}
 * convolutions of {@code width} filters of {@value #KERNEL} cycles by one sensor (so each sensor's
 * trend is filtered with shared filters and sensors mix only later), tanh, padded to keep the
 * window's length; a convolution of one filter of 3 cycles; then the flattened map, dropout, a
 * hidden layer of {@value #HIDDEN} tanh units and the output.
 */
public final class DcnnRegressor extends WindowRegressor {

    static final int KERNEL = 10;
    static final int LAST_KERNEL = 3;
    static final int HIDDEN = 100;
    private static final Initializer XAVIER = new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
            XavierInitializer.FactorType.AVG, 2);

    private final List<Parameter[]> convolutions = new ArrayList<>();
    private final List<Integer> kernels = new ArrayList<>();
    private final Dense hidden;
    private final Dense out;

    public DcnnRegressor(int window, int features, int width, int layers, double dropout) {
        super(window, features, dropout);
        int in = 1;
        for (int i = 0; i < layers; i++) {
            convolutions.add(conv("conv" + i, width, in, KERNEL));
            in = width;
        }
        convolutions.add(conv("conv_last", 1, in, LAST_KERNEL));
        hidden = dense("hidden", (long) window * features, HIDDEN);
        out = dense("out", HIDDEN, 1);
    }

    private Parameter[] conv(String name, int filters, int in, int kernel) {
        kernels.add(kernel);
        return new Parameter[] {
            param(name + "_weight", Parameter.Type.WEIGHT, XAVIER, new Shape(filters, in, kernel, 1)),
            param(name + "_bias", Parameter.Type.BIAS, Initializer.ZEROS, new Shape(filters))};
    }

    @Override
    protected NDArray regress(ParameterStore store, NDArray windows, boolean training) {
        NDArray x = windows.expandDims(1);
        for (int i = 0; i < convolutions.size(); i++) {
            Parameter[] conv = convolutions.get(i);
            int kernel = kernels.get(i);
            x = x.getNDArrayInternal().convolution(x, value(store, conv[0], x, training), value(store, conv[1], x, training),
                    new Shape(1, 1), new Shape(kernel / 2, 0), new Shape(1, 1), 1).singletonOrThrow();
            if (kernel % 2 == 0) {
                // An even kernel padded by half on each side gives one cycle more than the window: drop the last.
                x = x.get(new NDIndex(":, :, :-1, :"));
            }
            x = x.tanh();
        }
        NDArray flat = drop(x.reshape(x.getShape().get(0), -1), training);
        return out.apply(store, hidden.apply(store, flat, training).tanh(), training);
    }
}
