package kiban.health.watch;

import kiban.core.error.InvalidInputException;

/**
 * How the watch judges and reports: the alarm's raise and clear levels on the failure probability
 * within the model's horizon, and every how many readings it publishes an estimate.
 *
 * @param alarmRaise     failure probability at which the alarm is raised
 * @param alarmClear     failure probability below which a raised alarm clears (below {@code alarmRaise})
 * @param estimateEvery  publish an estimate every this many warm readings (1: every reading)
 */
public record WatchSettings(double alarmRaise, double alarmClear, int estimateEvery) {

    /**
     * Checks the settings; {@code raiseSource} and {@code clearSource} name where each level came
     * from (an option, a model file's field) so that an error points at it.
     */
    public static WatchSettings of(double alarmRaise, String raiseSource, double alarmClear, String clearSource, int estimateEvery,
            String everySource) {
        if (!(alarmRaise > 0 && alarmRaise < 1)) {
            throw new InvalidInputException(raiseSource, "", "a probability in (0, 1)", String.valueOf(alarmRaise));
        }
        if (!(alarmClear > 0 && alarmClear < alarmRaise)) {
            throw new InvalidInputException(clearSource, "", "a probability above 0 and below the raise level " + alarmRaise
                    + " (hysteresis: clear below where the alarm is raised)", String.valueOf(alarmClear));
        }
        if (estimateEvery < 1) {
            throw new InvalidInputException(everySource, "", "a count of readings of at least 1", String.valueOf(estimateEvery));
        }
        return new WatchSettings(alarmRaise, alarmClear, estimateEvery);
    }
}
