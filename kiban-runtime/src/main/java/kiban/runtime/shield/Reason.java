package kiban.runtime.shield;

/**
 * Why the shield changed a command, or why the loop judged a cycle unsafe to act on. New reasons
 * are only ever appended: a recording's {@code intervention.reasons} bit {@code i} is the
 * {@code i}-th reason.
 */
public enum Reason {
    /** The command held NaN or an infinity, or had the wrong length. */
    NON_FINITE("non_finite"),
    /** No fresh command for the watchdog's cycles. */
    WATCHDOG("watchdog"),
    /** The machine's e-stop input is latched. */
    ESTOP("estop"),
    /** The fallback policy replaced a missing or non-finite command. */
    FALLBACK("fallback"),
    /** An element lay outside its feature's low..high. */
    POSITION_LIMIT("position_limit"),
    /** An element changed faster than its feature's max rate. */
    RATE_LIMIT("rate_limit"),
    /** An element's rate changed faster than the envelope's max acceleration (or could not stop before a limit). */
    ACCELERATION_LIMIT("acceleration_limit"),
    /** An element's acceleration changed faster than the envelope's max jerk. */
    JERK_LIMIT("jerk_limit"),
    /** A feature left, or a command would take it out of, a workspace box. */
    WORKSPACE("workspace"),
    /** A feature entered, or a command would take it into, a keep-out zone. */
    KEEP_OUT("keep_out"),
    /** A vehicle ahead would be reached sooner than the minimum time to collision. */
    TIME_TO_COLLISION("time_to_collision"),
    /** A vehicle ahead is closer than the minimum separation. */
    SEPARATION("separation"),
    /** An operator took the machine over: the runtime sent nothing and recorded the operator's command. */
    TAKEOVER("takeover"),
    /** The reading was older than the loop allows: it counted as lost (a hold, then the watchdog's stop). */
    STALE("stale"),
    /** A command did not reach the machine, or the machine refused it; too many in a row end the run. */
    COMMAND_FAILED("command_failed"),
    /** The deployment recording failed: the loop warned, or ended the run. */
    RECORDING_FAILED("recording_failed");

    private final String wireName;

    Reason(String wireName) {
        this.wireName = wireName;
    }

    /** The name in reports, JSON and recordings. */
    public String wireName() {
        return wireName;
    }

    /** The bit of this reason in a recording's {@code intervention.reasons} mask. */
    public long bit() {
        return 1L << ordinal();
    }

    /** Whether the loop judges this reason about the cycle (its reading, the machine, the recording) rather than the shield about a command. */
    public boolean judgedByLoop() {
        return this == STALE || this == COMMAND_FAILED || this == RECORDING_FAILED;
    }
}
