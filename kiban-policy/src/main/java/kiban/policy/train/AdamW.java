package kiban.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
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

    /** One update of every parameter from its gradient; call outside gradient recording. */
    public void update(PairList<String, Parameter> parameters, double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            NDArray m = first.computeIfAbsent(p.getKey(), k -> state.zeros(w.getShape(), w.getDataType()));
            NDArray v = second.computeIfAbsent(p.getKey(), k -> state.zeros(w.getShape(), w.getDataType()));
            // Every array made inside the scope (the gradient handle, temporaries) is freed at its end.
            try (NDScope scope = new NDScope()) {
                NDArray g = w.getGradient();
                m.muli(beta1).addi(g.mul(1 - beta1));
                v.muli(beta2).addi(g.square().muli(1 - beta2));
                NDArray denom = v.div(bc2).sqrt().addi(eps);
                w.muli(1 - lr * weightDecay);
                w.subi(m.div(denom).muli(lr / bc1));
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
