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
 * An exponential moving average of the weights, with Diffusion Policy's warm-up of the decay
 * ({@code 1 - (1 + step)^-power}, capped) so early averages are not dominated by the random init.
 */
public final class Ema implements AutoCloseable {

    private final double power;
    private final double maxDecay;
    private final NDManager state;
    private final Map<String, NDArray> shadow = new LinkedHashMap<>();

    public Ema(NDManager parent, double power, double maxDecay) {
        this.power = power;
        this.maxDecay = maxDecay;
        this.state = parent.newSubManager();
    }

    public double decayAt(long step) {
        return Math.max(0, Math.min(maxDecay, 1 - Math.pow(1 + step, -power)));
    }

    public void update(PairList<String, Parameter> parameters, long step) {
        double d = decayAt(step);
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            NDArray s = shadow.get(p.getKey());
            if (s == null) {
                s = w.duplicate();
                s.attach(state);
                shadow.put(p.getKey(), s);
                continue;
            }
            try (NDScope scope = new NDScope()) {
                s.muli(d).addi(w.mul(1 - d));
            }
        }
    }

    /** The averaged weights, named as the parameters. */
    public NDList weights() {
        NDList out = new NDList();
        shadow.forEach((k, a) -> {
            a.setName(k);
            out.add(a);
        });
        return out;
    }

    public void restore(NDList saved) {
        shadow.clear();
        for (NDArray a : saved) {
            NDArray copy = a.duplicate();
            copy.attach(state);
            shadow.put(a.getName(), copy);
        }
    }

    @Override
    public void close() {
        state.close();
    }
}
