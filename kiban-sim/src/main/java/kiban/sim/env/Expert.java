package kiban.sim.env;

/**
 * A scripted demonstrator for one env. It may read the env's privileged state (a planner can
 * simulate ahead on a copy), which is why an expert is made for a particular env instance.
 */
public interface Expert {

    /** Called after each env reset, before the first {@link #act}. */
    default void reset(long seed) {}

    /** The action for the env's current state. */
    double[] act(Observation observation);
}
