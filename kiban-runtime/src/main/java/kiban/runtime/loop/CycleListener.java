package kiban.runtime.loop;

/**
 * Told of every control cycle, on the loop thread, for recording and telemetry: copy what you
 * keep (the arrays are reused) and return quickly.
 */
public interface CycleListener {

    /**
     * @param observation the machine's reading
     * @param proposed    the policy's action for the cycle, null when none was fresh
     * @param sent        the shielded command sent, null when none was; during an operator take-over
     *                    the operator's command (the runtime sent nothing)
     * @param reasons     the shield's interventions this cycle as {@link kiban.runtime.shield.Reason#bit()}s
     */
    void onCycle(long cycle, double[] observation, double[] proposed, double[] sent, long reasons);

    /** The machine started a new episode (a simulator reset); the cycles before belong to the last one. */
    default void onEpisodeEnd() {}

    /**
     * The failure that ended this listener's work (a recorder whose writer died), or null. The loop
     * asks after each cycle, tells the listener nothing more once it failed, and warns or ends the
     * run ({@link LoopConfig#onRecordFailure()}).
     */
    default Throwable failure() {
        return null;
    }
}
