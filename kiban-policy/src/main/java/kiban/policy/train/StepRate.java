package kiban.policy.train;

import kiban.core.error.KibanException;

/**
 * A training loop's pace: steps per second over windows of about two seconds (what the metrics
 * log records, steady against a slow step), and the mean over the whole loop (what the run
 * reports, as its progress bar shows). Also the loop's check that a step's loss is finite.
 */
public final class StepRate {

    private static final long WINDOW_NANOS = 2_000_000_000L;

    private final long loopStart = System.nanoTime();
    private long windowStart = loopStart;
    private long windowSteps;
    private long steps;
    private double rate;

    /** Counts one step; {@code last} closes the window early (the run's final step). Returns the latest window's rate. */
    public double step(boolean last) {
        steps++;
        windowSteps++;
        long now = System.nanoTime();
        if (now - windowStart > WINDOW_NANOS || last) {
            rate = windowSteps / ((now - windowStart) / 1e9);
            windowStart = now;
            windowSteps = 0;
        }
        return rate;
    }

    /** Steps per second since the loop began; 0 when it trained none. */
    public double mean() {
        return steps == 0 ? 0 : steps / Math.max(1e-9, (System.nanoTime() - loopStart) / 1e9);
    }

    /** Stops a run whose loss at {@code step} (counted from 0) is not finite, saying what to change. */
    public static void requireFinite(double loss, long step, double learningRate) {
        if (!Double.isFinite(loss)) {
            throw new KibanException("training diverged at step " + (step + 1) + ": loss is " + loss
                    + "; lower the learning rate (now " + learningRate + ")");
        }
    }
}
