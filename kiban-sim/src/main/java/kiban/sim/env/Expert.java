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

    /**
     * The action the env was given after {@link #act} labelled this step, where another driver
     * (DAgger's student) or injected noise (DART) chose it instead of the label. An expert that
     * steps from its own last command continues from this one, so that its next label starts from
     * where the machine was sent, not from where the expert would have sent it.
     */
    default void executed(double[] action) {}
}
