package kiban.core.machine;

/**
 * One sensor reading of a {@link Machine}.
 *
 * @param state          the observation features concatenated, in physical units
 * @param timestampNanos when the values were sampled, on {@link System#nanoTime()}'s clock, so the
 *                       runtime can tell a stale reading from a fresh one
 * @param connected      false while the adapter has lost its link (the values are then the last known)
 * @param emergencyStop  true while the machine's e-stop input is pressed
 * @param operatorCommand the command an operator is giving the machine directly (teach pendant,
 *                       HMI, remote control) while they have taken it over, laid out as the action
 *                       features; null while the runtime is in control
 */
public record MachineReading(double[] state, long timestampNanos, boolean connected, boolean emergencyStop,
        double[] operatorCommand) {

    public MachineReading {
        state = state.clone();
        operatorCommand = operatorCommand == null ? null : operatorCommand.clone();
    }

    /** A reading while the runtime is in control (no operator take-over). */
    public MachineReading(double[] state, long timestampNanos, boolean connected, boolean emergencyStop) {
        this(state, timestampNanos, connected, emergencyStop, null);
    }

    @Override
    public double[] state() {
        return state.clone();
    }

    @Override
    public double[] operatorCommand() {
        return operatorCommand == null ? null : operatorCommand.clone();
    }
}
