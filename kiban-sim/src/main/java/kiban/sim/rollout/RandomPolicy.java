package kiban.sim.rollout;

import java.util.SplittableRandom;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/** Uniform random actions within the spec's limits: the floor every policy should beat. */
public final class RandomPolicy implements Expert {

    private final double[] low;
    private final double[] high;
    private SplittableRandom random;

    public RandomPolicy(EnvSpec spec) {
        low = spec.embodiment().actionLow();
        high = spec.embodiment().actionHigh();
        random = new SplittableRandom(0);
    }

    @Override
    public void reset(long seed) {
        random = new SplittableRandom(seed * 31 + 7);
    }

    @Override
    public double[] act(Observation observation) {
        double[] a = new double[low.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = low[i] + random.nextDouble() * (high[i] - low[i]);
        }
        return a;
    }
}
