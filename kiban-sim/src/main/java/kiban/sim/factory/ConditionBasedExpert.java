package kiban.sim.factory;

import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/**
 * Condition-based maintenance from the observations alone (never the hidden wear), so a policy can
 * learn it: runs both drives at one line speed (nominal by default), smooths the vibration readings
 * taken while the machine runs, and requests preventive maintenance once the smoothed RMS velocity
 * reaches a limit (by default the ISO 10816 class I zone C/D boundary, 4.5 mm/s, "damage may
 * occur") or the temperature runs hot.
 * While the machine is down it stops the conveyor once the buffer is nearly full, so parts wait
 * upstream instead of being blocked at the buffer.
 */
public final class ConditionBasedExpert implements Expert {

    /** ISO 10816 class I zone C/D boundary, mm/s RMS. */
    public static final double VIBRATION_LIMIT = 4.5;
    /** Temperature at nominal speed that only a well-worn machine reaches, degC. */
    public static final double TEMPERATURE_LIMIT = 72;
    /**
     * Line speed of the favour-machine-life expert: wear per part goes as speed squared, and 0.65
     * leaves room on both sides of the task's bounds (half the nominal wear, 30 parts an hour).
     * Chosen with its limits below on seeds 0-49 (success, then return), never on reported seeds.
     */
    public static final double LIFE_LINE_SPEED = 0.65;
    /** The favour-machine-life vibration limit at that speed: about wear 0.3, against 0.5 for the ISO limit at nominal speed. */
    public static final double LIFE_VIBRATION_LIMIT = 2.0;
    /** The favour-machine-life temperature limit at that speed, a backstop for a worn machine (about wear 0.75). */
    public static final double LIFE_TEMPERATURE_LIMIT = 58;
    /** Weight of the newest reading in the moving average (about a ten-minute window). */
    static final double SMOOTHING = 0.1;
    /** Running readings needed after a service before the average is trusted. */
    static final int WARM_UP = 10;

    private final double lineSpeed;
    private final double vibrationLimit;
    private final double temperatureLimit;
    private double smoothed;
    private int samples;

    /** The expert with the ISO zone C/D vibration limit and the default temperature limit. */
    public ConditionBasedExpert() {
        this(VIBRATION_LIMIT, TEMPERATURE_LIMIT);
    }

    /** An expert at nominal speed with other limits, for studying the maintenance trade-off. */
    public ConditionBasedExpert(double vibrationLimit, double temperatureLimit) {
        this(1.0, vibrationLimit, temperatureLimit);
    }

    /**
     * An expert that runs conveyor and machine at {@code lineSpeed} (the conveyor's supply then
     * stays 10% above what the machine takes) with these maintenance limits; the readings it
     * compares with them are those of a machine at that speed.
     */
    public ConditionBasedExpert(double lineSpeed, double vibrationLimit, double temperatureLimit) {
        if (!(lineSpeed > 0) || !(vibrationLimit > 0) || !(temperatureLimit > 0)) {
            throw new IllegalArgumentException("speed and limits must be positive, got speed " + lineSpeed
                    + ", vibration " + vibrationLimit + " mm/s and temperature " + temperatureLimit + " degC");
        }
        this.lineSpeed = lineSpeed;
        this.vibrationLimit = vibrationLimit;
        this.temperatureLimit = temperatureLimit;
    }

    /** The expert for a task: the ISO limits at nominal speed for favour-throughput, a gentler line for favour-machine-life. */
    public static ConditionBasedExpert forTask(CellTask task) {
        return switch (task) {
            case FAVOUR_THROUGHPUT -> new ConditionBasedExpert();
            case FAVOUR_MACHINE_LIFE -> new ConditionBasedExpert(LIFE_LINE_SPEED, LIFE_VIBRATION_LIMIT, LIFE_TEMPERATURE_LIMIT);
        };
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
            return new double[] {buffer >= 0.9 * CellModel.BUFFER_CAPACITY ? 0.0 : lineSpeed, lineSpeed, 0.0};
        }
        if (state == MachineState.RUNNING) {
            double v = o.state(CellObservation.VIBRATION_RMS);
            smoothed = samples == 0 ? v : smoothed + SMOOTHING * (v - smoothed);
            samples++;
        }
        boolean worn = samples >= WARM_UP && smoothed >= vibrationLimit;
        boolean hot = o.state(CellObservation.TEMPERATURE) >= temperatureLimit;
        return new double[] {lineSpeed, lineSpeed, worn || hot ? 1.0 : 0.0};
    }
}
