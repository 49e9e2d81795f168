package kiban.runtime.loop;

import kiban.core.machine.MachineReading;

/**
 * Decides, before the loop acts on a reading, whether it can be acted on: a reading from a lost
 * link or one older than the configured age is no basis for a command (the shield then holds, and
 * after its watchdog cycles stops). Also keeps the run of failed commands, those that threw in
 * {@code Machine.command} and those the machine reports in its readings.
 */
final class ReadingJudge {

    /** What a reading is worth. */
    enum Verdict {
        /** Connected and recent: act on it. */
        FRESH,
        /** The link is down: the values are the last known. */
        LOST,
        /** Connected, but older than the loop allows: the values may have frozen upstream. */
        STALE
    }

    private final long staleAfterNanos;
    private final int maxFailedCommands;
    private int thrownInARow;
    private String thrownError = "";
    private int failedInARow;
    private String failedError = "";
    private long ageNanos;

    ReadingJudge(long staleAfterNanos, int maxFailedCommands) {
        this.staleAfterNanos = staleAfterNanos;
        this.maxFailedCommands = maxFailedCommands;
    }

    /** Judges {@code r}, read at {@code now} (nanoTime). */
    Verdict judge(MachineReading r, long now) {
        if (!r.connected()) {
            return Verdict.LOST;
        }
        ageNanos = now - r.timestampNanos();
        return ageNanos > staleAfterNanos ? Verdict.STALE : Verdict.FRESH;
    }

    /** Why the last reading judged {@link Verdict#STALE} was. */
    String staleDetail() {
        return "reading " + millis(ageNanos) + " ms old, older than " + millis(staleAfterNanos) + " ms";
    }

    /**
     * Takes the machine's report of failed commands from {@code r}; returns true when the run of
     * failures grew since the last cycle (a new failure to report).
     */
    boolean newFailures(MachineReading r) {
        int before = failedInARow;
        int reported = r.failedCommands();
        failedInARow = Math.max(thrownInARow, reported);
        failedError = thrownInARow >= reported ? thrownError : r.commandError();
        return failedInARow > before;
    }

    /** A command threw instead of reaching the machine. */
    void commandThrew(RuntimeException e) {
        thrownInARow++;
        thrownError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A command returned normally (for an adapter writing asynchronously, its readings tell the rest). */
    void commandReturned() {
        thrownInARow = 0;
    }

    /** Whether the failed commands in a row reached the limit: the loop stops the machine and ends the run. */
    boolean tooManyFailures() {
        return failedInARow >= maxFailedCommands;
    }

    String failureDetail() {
        return failedInARow + " in a row" + (failedError.isEmpty() ? "" : ": " + failedError);
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
