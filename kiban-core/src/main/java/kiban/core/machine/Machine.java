package kiban.core.machine;

import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;

/**
 * A machine the runtime drives at a fixed rate. Every command reaching {@link #command} has
 * already passed the safety shield; adapters translate it, they do not judge it.
 * Implementations are called from the control-loop thread only.
 */
public interface Machine extends AutoCloseable {

    /** A short name for logs and reports (the env name, or the OPC UA endpoint). */
    String name();

    /** The features the state vector of each {@link MachineReading} concatenates. */
    List<FeatureSpec> observationFeatures();

    /** The features each command concatenates. */
    List<FeatureSpec> actionFeatures();

    /** The newest reading; returns within a fraction of a control cycle, never waits for the machine. */
    MachineReading read();

    /**
     * Sends one shielded command. A command that cannot reach the machine throws, or, for an adapter
     * that writes asynchronously, shows up in later readings' {@link MachineReading#failedCommands()};
     * the runtime stops after a configured number of failures in a row.
     */
    void command(double[] action);

    /** Brings the machine to its safe state now (the embodiment's stop mode); must not throw. */
    void stop();

    /** Figures of the run so far, named as in the env's metrics where the machine is simulated. */
    default Map<String, Double> metrics() {
        return Map.of();
    }

    @Override
    default void close() {}
}
