package kiban.runtime.shield;

/**
 * The machine's e-stop input latches a stop, which only {@link #reset} clears, and only with the
 * input released.
 */
final class EmergencyStopRule implements ShieldRule {

    private boolean latched;
    private boolean input;

    @Override
    public void apply(ShieldCycle c) {
        input = c.emergencyStopInput;
        latched |= input;
        if (latched) {
            c.stop(Reason.ESTOP, "");
        }
    }

    /** Clears the latch; refused (false) while the input is still pressed. */
    boolean reset() {
        if (input) {
            return false;
        }
        latched = false;
        return true;
    }

    boolean latched() {
        return latched;
    }
}
