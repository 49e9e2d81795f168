package kiban.sim.factory;

/** What the machine station is doing, with the code it reports in {@code machine_state}. */
public enum MachineState {
    /** Processing a part. */
    RUNNING(0),
    /** Up but not processing: the buffer is empty (starved) or the speed is set to zero. */
    IDLE(1),
    /** Broken down, under corrective repair. */
    FAILED(2),
    /** Under preventive maintenance that the policy requested. */
    MAINTENANCE(3);

    private static final MachineState[] BY_CODE = values();

    private final int code;

    MachineState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The state a (possibly noisy) reported code stands for. */
    public static MachineState ofCode(double code) {
        int c = (int) Math.round(Math.max(0, Math.min(3, code)));
        return BY_CODE[c];
    }

    /** Down time in the OEE sense: failed or maintained, not merely starved. */
    public boolean down() {
        return this == FAILED || this == MAINTENANCE;
    }
}
