package kiban.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's {@code AdamW}. The
 * moment estimates live in a manager of their own so they can be saved and restored exactly.
 * Bound to {@link FlatParameters} (as the training step binds it) they are laid out as the flat
 * weights, and one update of all parameters is a dozen native ops; unbound, it updates a list of
 * parameters one by one with the same maths.
 */
public final class AdamW implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager state;
    /** Moments a parameter: restored and not yet bound, or of unbound updates. */
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private FlatParameters params;
    private NDArray flatFirst;
    private NDArray flatSecond;
    private NDList views;
    /** b1, b2 and eps as float32 scalars, made once rather than at every step. */
    private final NDList constants;
    private long step;

    public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.state = parent.newSubManager();
        this.constants = new NDList(state.create((float) beta1), state.create((float) beta2), state.create((float) eps));
    }

    public long step() {
        return step;
    }

    /** Lays the moments out as {@code flat}: what {@link #restore} read or unbound updates made, else zeros. */
    void bind(FlatParameters flat) {
        params = flat;
        if (first.isEmpty()) {
            flatFirst = state.zeros(new Shape(flat.size()));
            flatSecond = state.zeros(new Shape(flat.size()));
        } else {
            flatFirst = flat.assemble(first, state, "the optimizer's first moments");
            flatSecond = flat.assemble(second, state, "the optimizer's second moments");
            first.values().forEach(NDArray::close);
            second.values().forEach(NDArray::close);
            first.clear();
            second.clear();
        }
    }

    /**
     * One update of every bound parameter from {@code gradients} (laid out as the flat weights;
     * the caller's copy, which this overwrites) scaled by {@code gradScale} (the clipping); call
     * outside gradient recording.
     */
    void update(NDArray gradients, double lr, float gradScale) {
        if (params == null) {
            throw new IllegalStateException("AdamW.update before bind");
        }
        step++;
        apply(params.weights(), gradients, flatFirst, flatSecond, lr, gradScale);
    }

    /**
     * One update of each parameter from its gradient, which is then zeroed; call outside gradient
     * recording. For an optimiser that is not bound to flat parameters.
     */
    public void update(PairList<String, Parameter> parameters, double lr) {
        if (params != null) {
            throw new IllegalStateException("this optimizer is bound to flat parameters");
        }
        step++;
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            NDArray m = first.computeIfAbsent(p.getKey(), k -> state.zeros(w.getShape(), w.getDataType()));
            NDArray v = second.computeIfAbsent(p.getKey(), k -> state.zeros(w.getShape(), w.getDataType()));
            try (NDArray g = w.getGradient(); NDArray copy = g.duplicate()) {
                apply(w, copy, m, v, lr, 1f);
                g.muli(0f);
            }
        }
    }

    /**
     * {@code w -= lr wd w; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * w -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps)} for {@code g = gradScale * gradients}:
     * Kingma and Ba's placement of epsilon, which differs from PyTorch's only by eps scaling with
     * the bias correction. In place but for two temporaries (DJL's fused {@code adamUpdate}
     * allocates six); {@code gradients} is overwritten.
     */
    private void apply(NDArray w, NDArray gradients, NDArray m, NDArray v, double lr, float gradScale) {
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
        try (NDScope scope = new NDScope()) {
            w.muli((float) (1 - lr * weightDecay));
            // The clipping scale folds into the moments' coefficients rather than taking a pass of its own,
            // and g is scaled and squared in place. 1 - beta is taken in float32, as DJL's fused adamUpdate
            // (which Kiban used before) takes it.
            double c1 = (1f - (float) beta1) * gradScale;
            double c2 = (1f - (float) beta2) * gradScale * gradScale;
            NDArray g = gradients.muli((float) c1);
            m.muli(constants.get(0)).addi(g);
            v.muli(constants.get(1)).addi(g.muli(g).muli((float) (c2 / (c1 * c1))));
            NDArray denominator = v.sqrt().addi(constants.get(2));
            w.subi(m.div(denominator).muli(lrCorrected));
        }
    }

    /** The moment estimates, named {@code m:PARAM} and {@code v:PARAM}, for a checkpoint. */
    public NDList stateList() {
        if (params != null) {
            if (views == null) {
                views = params.split(flatFirst, "m:");
                views.addAll(params.split(flatSecond, "v:"));
            }
            return views;
        }
        NDList out = new NDList();
        first.forEach((k, a) -> {
            a.setName("m:" + k);
            out.add(a);
        });
        second.forEach((k, a) -> {
            a.setName("v:" + k);
            out.add(a);
        });
        return out;
    }

    /** Restores what {@link #stateList} saved, and the step count; call before the parameters are bound. */
    public void restore(NDList saved, long savedStep) {
        if (params != null) {
            throw new IllegalStateException("AdamW.restore after the training step started");
        }
        first.clear();
        second.clear();
        for (NDArray a : saved) {
            NDArray copy = a.duplicate();
            copy.attach(state);
            String name = a.getName();
            (name.startsWith("m:") ? first : second).put(name.substring(2), copy);
        }
        step = savedStep;
    }

    @Override
    public void close() {
        state.close();
    }
}
