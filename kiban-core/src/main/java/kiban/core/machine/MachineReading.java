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
 * @param setpoint       the command the machine holds now, laid out as the action features (the set
 *                       points a real machine reads back, a simulator's hold of its state); null when
 *                       the machine cannot say. The runtime starts its rate limits from it, so the
 *                       first command of a run moves the machine no faster than any other
 * @param failedCommands how many commands in a row, up to this reading, did not reach the machine or
 *                       were refused by it (0 once one got through); an adapter that writes
 *                       asynchronously learns of a failure after {@link Machine#command} returned
 * @param commandError   the newest of those failures in words; empty when {@code failedCommands} is 0
 */
public record MachineReading(double[] state, long timestampNanos, boolean connected, boolean emergencyStop,
        double[] operatorCommand, double[] setpoint, int failedCommands, String commandError) {

    public MachineReading {
        state = state.clone();
        operatorCommand = operatorCommand == null ? null : operatorCommand.clone();
        setpoint = setpoint == null ? null : setpoint.clone();
        if (failedCommands < 0) {
            throw new IllegalArgumentException("failedCommands must be >= 0, got " + failedCommands);
        }
        commandError = failedCommands == 0 || commandError == null ? "" : commandError;
    }

    /** A reading while the runtime is in control (no operator take-over), set point unknown, no failed command. */
    public MachineReading(double[] state, long timestampNanos, boolean connected, boolean emergencyStop) {
        this(state, timestampNanos, connected, emergencyStop, null);
    }

    /** A reading whose set point is unknown and whose commands all got through. */
    public MachineReading(double[] state, long timestampNanos, boolean connected, boolean emergencyStop,
            double[] operatorCommand) {
        this(state, timestampNanos, connected, emergencyStop, operatorCommand, null, 0, "");
    }

    /** This reading with {@code count} commands in a row failed, the newest with {@code error}. */
    public MachineReading withFailedCommands(int count, String error) {
        return new MachineReading(state, timestampNanos, connected, emergencyStop, operatorCommand, setpoint, count, error);
    }

    @Override
    public double[] state() {
        return state.clone();
    }

    @Override
    public double[] operatorCommand() {
        return operatorCommand == null ? null : operatorCommand.clone();
    }

    @Override
    public double[] setpoint() {
        return setpoint == null ? null : setpoint.clone();
    }
}
