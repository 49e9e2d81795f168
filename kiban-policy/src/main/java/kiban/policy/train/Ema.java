package kiban.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exponential moving average of the weights, with Diffusion Policy's warm-up of the decay
 * ({@code 1 - (1 + step)^-power}, capped) so early averages are not dominated by the random init.
 * The average is laid out as {@link FlatParameters}, so one update is three in-place native ops.
 */
public final class Ema implements AutoCloseable {

    private final double power;
    private final double maxDecay;
    private final NDManager state;
    private final Map<String, NDArray> restored = new LinkedHashMap<>();
    private FlatParameters params;
    private NDArray shadow;
    private NDList shadowViews;

    public Ema(NDManager parent, double power, double maxDecay) {
        this.power = power;
        this.maxDecay = maxDecay;
        this.state = parent.newSubManager();
    }

    public double decayAt(long step) {
        return Math.max(0, Math.min(maxDecay, 1 - Math.pow(1 + step, -power)));
    }

    /** Lays the average out as {@code params}: what {@link #restore} read, or none until the first update. */
    void bind(FlatParameters flat) {
        params = flat;
        if (!restored.isEmpty()) {
            shadow = flat.assemble(restored, state, "the EMA weights");
            restored.values().forEach(NDArray::close);
            restored.clear();
        }
    }

    /** Blends the current weights in; the first update (without a restored average) copies them. */
    void update(long step) {
        if (params == null) {
            throw new IllegalStateException("Ema.update before bind");
        }
        NDArray w = params.weights();
        if (shadow == null) {
            shadow = w.duplicate();
            shadow.attach(state);
            return;
        }
        double d = decayAt(step);
        // s d + w (1 - d), written (s - w) d + w to need no temporary the size of the weights.
        try (NDScope scope = new NDScope()) {
            shadow.subi(w).muli((float) d).addi(w);
        }
    }

    /** The averaged weights, named as the parameters. */
    public NDList weights() {
        if (shadow == null) {
            NDList out = new NDList();
            restored.forEach((k, a) -> {
                a.setName(k);
                out.add(a);
            });
            return out;
        }
        if (shadowViews == null) {
            shadowViews = params.split(shadow, "");
        }
        return shadowViews;
    }

    /** Restores what {@link #weights} saved; call before the parameters are bound. */
    public void restore(NDList saved) {
        if (params != null) {
            throw new IllegalStateException("Ema.restore after the training step started");
        }
        restored.clear();
        for (NDArray a : saved) {
            NDArray copy = a.duplicate();
            copy.attach(state);
            restored.put(a.getName(), copy);
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
