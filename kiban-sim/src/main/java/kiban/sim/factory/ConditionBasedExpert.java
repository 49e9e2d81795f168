package kiban.sim.factory;

import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/**
 * Condition-based maintenance from the observations alone (never the hidden wear), so a policy can
 * learn it: runs both drives at nominal speed, smooths the vibration readings taken while the
 * machine runs, and requests preventive maintenance once the smoothed RMS velocity reaches the
 * ISO 10816 class I zone C/D boundary (4.5 mm/s, "damage may occur") or the temperature runs hot.
 * While the machine is down it stops the conveyor once the buffer is nearly full, so parts wait
 * upstream instead of being blocked at the buffer.
 */
public final class ConditionBasedExpert implements Expert {

    /** ISO 10816 class I zone C/D boundary, mm/s RMS. */
    public static final double VIBRATION_LIMIT = 4.5;
    /** Temperature at nominal speed that only a well-worn machine reaches, degC. */
    public static final double TEMPERATURE_LIMIT = 72;
    /** Weight of the newest reading in the moving average (about a ten-minute window). */
    static final double SMOOTHING = 0.1;
    /** Running readings needed after a service before the average is trusted. */
    static final int WARM_UP = 10;

    private final double vibrationLimit;
    private final double temperatureLimit;
    private double smoothed;
    private int samples;

    /** The expert with the ISO zone C/D vibration limit and the default temperature limit. */
    public ConditionBasedExpert() {
        this(VIBRATION_LIMIT, TEMPERATURE_LIMIT);
    }

    /** An expert with other limits, for studying the maintenance trade-off. */
    public ConditionBasedExpert(double vibrationLimit, double temperatureLimit) {
        if (!(vibrationLimit > 0) || !(temperatureLimit > 0)) {
            throw new IllegalArgumentException("limits must be positive, got vibration " + vibrationLimit
                    + " mm/s and temperature " + temperatureLimit + " degC");
        }
        this.vibrationLimit = vibrationLimit;
        this.temperatureLimit = temperatureLimit;
    }

    @Override
    public void reset(long seed) {
        smoothed = 0;
        samples = 0;
    }

    @Override
    public double[] act(Observation o) {
        MachineState state = MachineState.ofCode(o.state(CellObservation.MACHINE_STATE));
        double buffer = o.state(CellObservation.BUFFER_LEVEL);
        if (state.down()) {
            smoothed = 0;
            samples = 0;
            return new double[] {buffer >= 0.9 * CellModel.BUFFER_CAPACITY ? 0.0 : 1.0, 1.0, 0.0};
        }
        if (state == MachineState.RUNNING) {
            double v = o.state(CellObservation.VIBRATION_RMS);
            smoothed = samples == 0 ? v : smoothed + SMOOTHING * (v - smoothed);
            samples++;
        }
        boolean worn = samples >= WARM_UP && smoothed >= vibrationLimit;
        boolean hot = o.state(CellObservation.TEMPERATURE) >= temperatureLimit;
        return new double[] {1.0, 1.0, worn || hot ? 1.0 : 0.0};
    }
}
