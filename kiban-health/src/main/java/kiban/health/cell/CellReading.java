package kiban.health.cell;

/**
 * What the factory cell's sensors show at one control step (one simulated minute), as far as its
 * health is concerned. The codes of {@code machineState} are those the cell reports in its
 * {@code machine_state} feature: 0 running, 1 idle, 2 failed, 3 maintenance.
 *
 * @param machineState         the reported state code, rounded
 * @param vibrationRms         RMS vibration velocity, mm/s
 * @param temperature          machine temperature, degC
 * @param minutesSinceService  minutes since the last repair or maintenance ended
 */
public record CellReading(int machineState, double vibrationRms, double temperature, double minutesSinceService) {

    public static final int RUNNING = 0;
    public static final int IDLE = 1;
    public static final int FAILED = 2;
    public static final int MAINTENANCE = 3;

    public CellReading {
        if (machineState < RUNNING || machineState > MAINTENANCE) {
            throw new IllegalArgumentException("machine state code must be 0-3, got " + machineState);
        }
        if (!Double.isFinite(vibrationRms) || !Double.isFinite(temperature) || !Double.isFinite(minutesSinceService)) {
            throw new IllegalArgumentException("readings must be finite, got vibration " + vibrationRms + ", temperature "
                    + temperature + ", minutes since service " + minutesSinceService);
        }
    }

    /** A reading whose state is a possibly noisy code, rounded and clamped to 0-3 as the cell's own decoder does. */
    public static CellReading ofCode(double stateCode, double vibrationRms, double temperature, double minutesSinceService) {
        int code = (int) Math.round(Math.max(RUNNING, Math.min(MAINTENANCE, stateCode)));
        return new CellReading(code, vibrationRms, temperature, minutesSinceService);
    }

    public boolean running() {
        return machineState == RUNNING;
    }

    /** Failed or under maintenance: the machine is being serviced and its wear is about to be reset. */
    public boolean down() {
        return machineState == FAILED || machineState == MAINTENANCE;
    }
}
