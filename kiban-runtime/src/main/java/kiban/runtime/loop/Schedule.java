package kiban.runtime.loop;

import java.io.PrintStream;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import kiban.core.machine.Telemetry;

/**
 * The loop's clock: deadlines {@code start + k * period}, lateness and cycle-time histograms,
 * skipped deadlines and overruns, and the warning when the loop cannot hold its rate. A cycle that
 * wakes more than a period late skips the deadlines in between instead of bursting to catch up.
 */
final class Schedule {

    static final int WARN_FRACTION_PERCENT = 5;
    static final int WARN_EVERY_SECONDS = 10;

    private final LoopConfig config;
    private final long period;
    private final Pacer pacer;
    private final PrintStream warn;
    private final Telemetry telemetry;
    private final LongSupplier interventions;
    private final long windowCycles;
    final LatencyHistogram lateness = new LatencyHistogram();
    final LatencyHistogram cycleTime = new LatencyHistogram();
    private long started;
    private long base;
    private long deadline;
    private long woke;
    private long wokeLate;
    long skipped;
    long overruns;
    long warnings;
    private long windowStart;
    private long windowLate;
    private long windowWorst;
    private long lastWarn = Long.MIN_VALUE / 2;

    Schedule(LoopConfig config, PrintStream warn, Telemetry telemetry, LongSupplier interventions) {
        this.config = config;
        this.period = config.periodNanos();
        this.pacer = new Pacer(config.spinNanos());
        this.warn = warn;
        this.telemetry = telemetry;
        this.interventions = interventions;
        this.windowCycles = Math.max(1, Math.round(config.hz()));
    }

    /** Starts the clock: cycle 0 is due one period from now. */
    void start() {
        started = System.nanoTime();
        base = started + period;
    }

    /** Waits for {@code cycle}'s deadline (or until {@code cancelled}) and returns it, moved on past skipped deadlines. */
    long await(long cycle, BooleanSupplier cancelled) {
        deadline = base + cycle * period;
        woke = pacer.waitUntil(deadline, cancelled);
        long late = woke - deadline;
        wokeLate = late;
        lateness.record(Math.max(0, late));
        if (late >= period) {
            long missed = late / period;
            skipped += missed;
            windowLate += missed;
            base += missed * period;
            deadline += missed * period;
        }
        return deadline;
    }

    /** Closes {@code cycle}: its time, an overrun if it ended after the next deadline, the once-a-second figures. */
    void end(long cycle) {
        long end = System.nanoTime();
        cycleTime.record(end - woke);
        if (end > deadline + period) {
            overruns++;
            windowLate++;
        }
        windowWorst = Math.max(windowWorst, wokeLate);
        if (cycle - windowStart + 1 >= windowCycles) {
            if (windowLate * 100 > windowCycles * WARN_FRACTION_PERCENT && end - lastWarn >= WARN_EVERY_SECONDS * 1_000_000_000L) {
                warn.printf("kiban run: warning: the loop cannot hold %s Hz: %d of the last %d cycles overran "
                        + "or were skipped (worst lateness %.2f ms); lower --hz or free the CPU%n",
                        hz(config.hz()), windowLate, windowCycles, windowWorst / 1e6);
                warn.flush();
                lastWarn = end;
                warnings++;
            }
            telemetry.publish("loop", Map.of("cycle", cycle, "overruns", windowLate, "worst_lateness_ms", windowWorst / 1e6,
                    "interventions", interventions.getAsLong()));
            windowStart = cycle + 1;
            windowLate = 0;
            windowWorst = 0;
        }
    }

    /** A rate as people write it: {@code 50}, {@code 0.5}. */
    static String hz(double hz) {
        return hz == Math.rint(hz) ? String.valueOf((long) hz) : String.valueOf(hz);
    }

    /** Seconds since {@link #start}. */
    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
