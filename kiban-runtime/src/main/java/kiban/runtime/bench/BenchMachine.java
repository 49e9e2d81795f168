package kiban.runtime.bench;

import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.machine.Machine;
import kiban.core.machine.MachineReading;

/** A machine that integrates its commands (a velocity-less position follower): cheap, so the benchmark measures the loop. */
final class BenchMachine implements Machine {

    static final int DIM = 8;
    static final FeatureSpec STATE = feature("position", null);
    static final FeatureSpec ACTION = feature("target", 100.0);

    private final double[] state = new double[DIM];
    /** The last command: the set point the machine follows. */
    private final double[] target = new double[DIM];
    private long commands;

    private static FeatureSpec feature(String name, Double rate) {
        return new FeatureSpec(name, "m", List.of(DIM), List.of(), java.util.Collections.nCopies(DIM, -1.0),
                java.util.Collections.nCopies(DIM, 1.0), rate == null ? List.of() : java.util.Collections.nCopies(DIM, rate));
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public List<FeatureSpec> observationFeatures() {
        return List.of(STATE);
    }

    @Override
    public List<FeatureSpec> actionFeatures() {
        return List.of(ACTION);
    }

    @Override
    public MachineReading read() {
        return new MachineReading(state, System.nanoTime(), true, false, null, target, 0, "");
    }

    @Override
    public void command(double[] action) {
        System.arraycopy(action, 0, target, 0, DIM);
        for (int i = 0; i < DIM; i++) {
            state[i] += 0.5 * (action[i] - state[i]);
        }
        commands++;
    }

    long commands() {
        return commands;
    }

    @Override
    public void stop() {}
}
