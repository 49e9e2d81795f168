package kiban.sim.factory;

import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/**
 * The baseline a maintenance policy is judged against: nominal speeds, never a maintenance
 * request, so the machine runs until it breaks and is then repaired.
 */
public final class RunToFailurePolicy implements Expert {

    @Override
    public double[] act(Observation observation) {
        return new double[] {1.0, 1.0, 0.0};
    }
}
