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

    /** The three stages. */
    enum Stage {
        RECORD("recording", "episodes"),
        TRAIN("training", "steps"),
        EVAL("evaluation", "episodes");

        final String label;
        final String unit;

        Stage(String label, String unit) {
            this.label = label;
            this.unit = unit;
        }
    }

    /**
     * The seconds per unit of each stage measured on a reference machine, described as {@code machine}.
     */
    record Reference(String machine, double recordSecondsPerEpisode, double trainSecondsPerStep, double evalSecondsPerEpisode) {

        /**
         * docs/PERFORMANCE.md's quickstart run on 2 cores: 600 episodes recorded in 1 min 44 s;
         * 40,000 steps trained at 73 steps/s; 50 episodes evaluated in 21 s.
         */
        static final Reference PLAIN = new Reference("a quiet 2-core machine", 104.0 / 600, 1 / 73.0, 21.0 / 50);

        /**
         * The camera quickstart's recipe on the shared 2-core machine under other engineers' load
         * (load average 5-15; docs/PERFORMANCE.md, "Quickstart with the camera"): 150 episodes with
         * video recorded in 2.7 min, the resnet encoder trained at 2.45 steps/s (docs/TRAINING.md,
         * "Pixel policies"), 9 s an evaluation episode (300 steps rendered and read from the frames).
         */
        static final Reference CAMERA = new Reference("a 2-core machine", 162.0 / 150, 1 / 2.45, 9.0);

        double secondsPerUnit(Stage stage) {
            return switch (stage) {
                case RECORD -> recordSecondsPerEpisode;
                case TRAIN -> trainSecondsPerStep;
                case EVAL -> evalSecondsPerEpisode;
            };
        }
    }

    private final Reference reference;
    private final long[] units = new long[Stage.values().length];
    /** How much slower than the reference machine this one is, as last measured (1: as fast). */
    private double slowdown = 1;

    /** @param record, train, eval the units left to do in each stage (a rerun resumes: fewer) */
    QuickstartEta(long record, long train, long eval) {
        this(Reference.PLAIN, record, train, eval);
    }

    /** As above, from the rates of {@code reference}. */
    QuickstartEta(Reference reference, long record, long train, long eval) {
        this.reference = reference;
        units[Stage.RECORD.ordinal()] = Math.max(0, record);
        units[Stage.TRAIN.ordinal()] = Math.max(0, train);
        units[Stage.EVAL.ordinal()] = Math.max(0, eval);
    }

    /** The whole run's estimate before anything is measured, stage by stage. */
    synchronized String initial() {
        StringBuilder b = new StringBuilder("estimate: about ")
                .append(minutes(remaining(Stage.RECORD, units[Stage.RECORD.ordinal()], Double.NaN)))
                .append(" in all on ").append(reference.machine()).append(" (");
        for (Stage s : Stage.values()) {
            b.append(s == Stage.RECORD ? "" : ", ").append(s.label).append(' ')
                    .append(minutes(units[s.ordinal()] * reference.secondsPerUnit(s)));
        }
        return b.append("); updated below as this machine's speed is measured").toString();
    }

    /**
     * Takes {@code rate} (units a second) measured in {@code stage} as this machine's speed for the
     * stages after it, and describes the time left with {@code left} units of the stage to go.
     */
    synchronized String measured(Stage stage, double rate, long left) {
        if (rate > 0 && Double.isFinite(rate)) {
            slowdown = 1 / (rate * reference.secondsPerUnit(stage));
        }
        double seconds = remaining(stage, left, rate);
        return String.format(Locale.ROOT, "%s at %s %s/s (%s on the reference machine): about %s left in all, done near %s",
                stage.label, Text.number(Math.round(rate * 10) / 10.0), stage.unit,
                Text.number(Math.round(10 / reference.secondsPerUnit(stage)) / 10.0), minutes(seconds), at(seconds));
    }

    /** The time left from the start of {@code stage}, at the speed measured so far. */
    synchronized String atStart(Stage stage) {
        double seconds = remaining(stage, units[stage.ordinal()], Double.NaN);
        return "about " + minutes(seconds) + " left in all, done near " + at(seconds);
    }

    /** Seconds left: {@code left} units of {@code stage} at {@code rate} (or the estimate), then the later stages. */
    synchronized double remaining(Stage stage, long left, double rate) {
        double seconds = rate > 0 && Double.isFinite(rate) ? left / rate : left * reference.secondsPerUnit(stage) * slowdown;
        for (Stage later : Stage.values()) {
            if (later.ordinal() > stage.ordinal()) {
                seconds += units[later.ordinal()] * reference.secondsPerUnit(later) * slowdown;
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
