package kiban.cli;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The quickstart's estimate of the time its whole run takes: at first from the rates of the
 * reference machine, then scaled by what this machine measures, stage by stage. Training is most
 * of the run and its speed varies most between machines (and with other load on the same one), so
 * the estimate that counts comes once the first training steps are timed.
 */
final class QuickstartEta {

    /** The three stages, with their reference seconds per unit: docs/PERFORMANCE.md's quickstart run on 2 cores. */
    enum Stage {
        // 600 episodes recorded in 1 min 44 s; 40,000 steps trained at 73 steps/s; 50 episodes evaluated in 21 s.
        RECORD("recording", "episodes", 104.0 / 600),
        TRAIN("training", "steps", 1 / 73.0),
        EVAL("evaluation", "episodes", 21.0 / 50);

        final String label;
        final String unit;
        final double referenceSecondsPerUnit;

        Stage(String label, String unit, double referenceSecondsPerUnit) {
            this.label = label;
            this.unit = unit;
            this.referenceSecondsPerUnit = referenceSecondsPerUnit;
        }
    }

    private final long[] units = new long[Stage.values().length];
    /** How much slower than the reference machine this one is, as last measured (1: as fast). */
    private double slowdown = 1;

    /** @param record, train, eval the units left to do in each stage (a rerun resumes: fewer) */
    QuickstartEta(long record, long train, long eval) {
        units[Stage.RECORD.ordinal()] = Math.max(0, record);
        units[Stage.TRAIN.ordinal()] = Math.max(0, train);
        units[Stage.EVAL.ordinal()] = Math.max(0, eval);
    }

    /** The whole run's estimate before anything is measured, stage by stage. */
    synchronized String initial() {
        StringBuilder b = new StringBuilder("estimate: about ")
                .append(minutes(remaining(Stage.RECORD, units[Stage.RECORD.ordinal()], Double.NaN)))
                .append(" in all on a quiet 2-core machine (");
        for (Stage s : Stage.values()) {
            b.append(s == Stage.RECORD ? "" : ", ").append(s.label).append(' ')
                    .append(minutes(units[s.ordinal()] * s.referenceSecondsPerUnit));
        }
        return b.append("); updated below as this machine's speed is measured").toString();
    }

    /**
     * Takes {@code rate} (units a second) measured in {@code stage} as this machine's speed for the
     * stages after it, and describes the time left with {@code left} units of the stage to go.
     */
    synchronized String measured(Stage stage, double rate, long left) {
        if (rate > 0 && Double.isFinite(rate)) {
            slowdown = 1 / (rate * stage.referenceSecondsPerUnit);
        }
        double seconds = remaining(stage, left, rate);
        return String.format(Locale.ROOT, "%s at %s %s/s (%s on the reference machine): about %s left in all, done near %s",
                stage.label, Text.number(Math.round(rate * 10) / 10.0), stage.unit,
                Text.number(Math.round(10 / stage.referenceSecondsPerUnit) / 10.0), minutes(seconds), at(seconds));
    }

    /** The time left from the start of {@code stage}, at the speed measured so far. */
    synchronized String atStart(Stage stage) {
        double seconds = remaining(stage, units[stage.ordinal()], Double.NaN);
        return "about " + minutes(seconds) + " left in all, done near " + at(seconds);
    }

    /** Seconds left: {@code left} units of {@code stage} at {@code rate} (or the estimate), then the later stages. */
    synchronized double remaining(Stage stage, long left, double rate) {
        double seconds = rate > 0 && Double.isFinite(rate) ? left / rate : left * stage.referenceSecondsPerUnit * slowdown;
        for (Stage later : Stage.values()) {
            if (later.ordinal() > stage.ordinal()) {
                seconds += units[later.ordinal()] * later.referenceSecondsPerUnit * slowdown;
            }
        }
        return seconds;
    }

    static String minutes(double seconds) {
        if (seconds < 30) {
            return "under 1 min";
        }
        return Math.max(1, Math.round(seconds / 60)) + " min";
    }

    private static String at(double seconds) {
        return LocalTime.now().plusSeconds(Math.round(seconds)).format(DateTimeFormatter.ofPattern("HH:mm"));
    }
}
