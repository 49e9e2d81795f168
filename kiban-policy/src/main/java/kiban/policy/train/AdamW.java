package kiban.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's {@code AdamW}. The
 * moment estimates live in a manager of their own so they can be saved and restored exactly.
 */
public final class AdamW implements AutoCloseable {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager state;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long step;

    public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.state = parent.newSubManager();
    }

    public long step() {
        return step;
    }

    /**
     * One update of every parameter from its gradient; call outside gradient recording. Each
     * parameter is updated by one fused native call (DJL's {@code adamUpdate} with decoupled
     * decay): {@code w -= lr wd w; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * w -= lr sqrt(1-b2^t)/(1-b1^t) m / (sqrt(v) + eps)}. That is Kingma and Ba's original
     * placement of epsilon, which differs from PyTorch's only by eps scaling with the bias correction.
     */
    public void update(PairList<String, Parameter> parameters, double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        float lrCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            NDArray m = first.computeIfAbsent(p.getKey(), k -> state.zeros(w.getShape(), w.getDataType()));
            NDArray v = second.computeIfAbsent(p.getKey(), k -> state.zeros(w.getShape(), w.getDataType()));
            try (NDArray g = w.getGradient()) {
                // rescale 1 and clip -1 switch off DJL's own (element-wise) scaling and clipping.
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, m, v), new NDList(w), (float) lr, lrCorrected,
                        (float) weightDecay, 1f, -1f, (float) beta1, (float) beta2, (float) eps, true, true);
            }
        }
    }

    /** The moment estimates, named {@code m:PARAM} and {@code v:PARAM}, for a checkpoint. */
    public NDList stateList() {
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

    /** Restores what {@link #stateList} saved, and the step count. */
    public void restore(NDList saved, long savedStep) {
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
