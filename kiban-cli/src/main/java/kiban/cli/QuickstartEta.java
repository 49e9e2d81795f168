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

    /** The stages, in order; the plain quickstart trains no estimator. */
    enum Stage {
        RECORD("recording", "episodes"),
        TRAIN("training", "steps"),
        ESTIMATOR("estimator training", "steps"),
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
    record Reference(String machine, double recordSecondsPerEpisode, double trainSecondsPerStep,
            double estimatorSecondsPerStep, double evalSecondsPerEpisode) {

        /**
         * docs/PERFORMANCE.md's quickstart run on 2 cores: 600 episodes recorded in 1 min 44 s;
         * 40,000 steps trained at 73 steps/s; 50 episodes evaluated in 21 s.
         */
        static final Reference PLAIN = new Reference("a quiet 2-core machine", 104.0 / 600, 1 / 73.0, 0, 21.0 / 50);

        /**
         * {@code ./kiban quickstart --camera} on the 2-core machine (docs/PERFORMANCE.md, "Quickstart
         * with the camera"): 600 episodes with video recorded in 545 s, the state policy trained at
         * 30 steps/s and the pose estimator at 10 steps/s while nothing else ran, 50 evaluation
         * episodes from rendered frames in about 2 minutes.
         */
        static final Reference CAMERA = new Reference("a 2-core machine", 545.0 / 600, 1 / 30.0, 1 / 10.0, 2.4);

        double secondsPerUnit(Stage stage) {
            return switch (stage) {
                case RECORD -> recordSecondsPerEpisode;
                case TRAIN -> trainSecondsPerStep;
                case ESTIMATOR -> estimatorSecondsPerStep;
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
        this(Reference.PLAIN, record, train, 0, eval);
    }

    /** As above, from the rates of {@code reference}, with {@code estimator} steps of estimator training. */
    QuickstartEta(Reference reference, long record, long train, long estimator, long eval) {
        this.reference = reference;
        units[Stage.RECORD.ordinal()] = Math.max(0, record);
        units[Stage.TRAIN.ordinal()] = Math.max(0, train);
        units[Stage.ESTIMATOR.ordinal()] = Math.max(0, estimator);
        units[Stage.EVAL.ordinal()] = Math.max(0, eval);
    }

    /** The whole run's estimate before anything is measured, stage by stage. */
    synchronized String initial() {
        StringBuilder b = new StringBuilder("estimate: about ")
                .append(minutes(remaining(Stage.RECORD, units[Stage.RECORD.ordinal()], Double.NaN)))
                .append(" in all on ").append(reference.machine()).append(" (");
        for (Stage s : Stage.values()) {
            if (s == Stage.ESTIMATOR && reference.estimatorSecondsPerStep() == 0) {
                continue; // a pipeline without the stage
            }
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
