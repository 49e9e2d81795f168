package kiban.core.machine;

/**
 * One sensor reading of a {@link Machine}.
 *
 * @param state          the observation features concatenated, in physical units
 * @param timestampNanos when the values were sampled, on {@link System#nanoTime()}'s clock, so the
 *                       runtime can tell a stale reading from a fresh one
 * @param connected      false while the adapter has lost its link (the values are then the last known)
 * @param emergencyStop  true while the machine's e-stop input is pressed
 */
public record MachineReading(double[] state, long timestampNanos, boolean connected, boolean emergencyStop) {

    public MachineReading {
        state = state.clone();
    }

    @Override
    public double[] state() {
        return state.clone();
    }
}
