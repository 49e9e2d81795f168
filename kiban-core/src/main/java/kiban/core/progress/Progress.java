package kiban.core.progress;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar with count, rate and ETA. On a terminal it redraws one line in place; elsewhere
 * (CI logs, pipes) it prints a line at every tenth of the way so logs stay short. A bar that never
 * moved prints nothing, so a job refused before it starts shows no bar. Thread-safe.
 */
public final class Progress implements AutoCloseable {

    private static final long REDRAW_NANOS = 200_000_000L;

    private final String label;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private long start = System.nanoTime();
    private long done;
    /** Units done before this run's clock started (a resumed job's); they count toward the total, not the rate. */
    private long base;
    private boolean moved;
    /** When the last unit was done; the rate and the time shown stop there, not at {@link #close}. */
    private long finished;
    private long lastDraw;
    private int lastTenth = -1;
    private String status = "";
    private boolean closed;

    private Progress(String label, String unit, long total, PrintStream out, boolean terminal) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = terminal;
    }

    /** A bar on stderr; silent when {@code enabled} is false (for --json runs that want clean output). */
    public static Progress start(String label, String unit, long total, boolean enabled) {
        PrintStream out = enabled ? System.err : null;
        return new Progress(label, unit, total, out, System.console() != null);
    }

    /** A bar writing to {@code out} as if it were not a terminal; for tests and logs. */
    public static Progress to(PrintStream out, String label, String unit, long total) {
        return new Progress(label, unit, total, out, false);
    }

    public synchronized void step(long n) {
        done += n;
        moved = true;
        if (total > 0 && done >= total && finished == 0) {
            finished = System.nanoTime();
        }
        draw(false);
    }

    /**
     * Starts the clock now with {@code alreadyDone} units behind it (a resumed job's, or 0), so that
     * the rate and the ETA measure only the work this run does, not what it did before or the setup.
     */
    public synchronized void begin(long alreadyDone) {
        done = alreadyDone;
        base = alreadyDone;
        start = System.nanoTime();
        finished = total > 0 && alreadyDone >= total ? start : 0;
        moved = true;
        draw(false);
    }

    /** Units per second since the clock started, not counting units done before it ({@link #begin}). */
    public synchronized double rate() {
        return rate(System.nanoTime());
    }

    /** Whether the job has begun ({@link #begin}) or made a step. */
    public synchronized boolean started() {
        return moved;
    }

    /** Seconds since the clock started ({@link #begin}), up to the last unit once all are done. */
    public synchronized double seconds() {
        return (end(System.nanoTime()) - start) / 1e9;
    }

    /** Prints a line of text above the bar, which is redrawn below it on a terminal. */
    public synchronized void message(String text) {
        if (out == null) {
            return;
        }
        if (terminal) {
            out.print("\r" + text + "\u001b[K\n");
            if (moved) {
                out.print(line(System.nanoTime()));
            }
        } else {
            out.println(text);
        }
        out.flush();
    }

    /** A short status shown after the figures, such as the current loss. */
    public synchronized void status(String text) {
        status = text;
    }

    public synchronized long done() {
        return done;
    }

    private void draw(boolean last) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (terminal) {
            if (!last && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(now) + "\u001b[K");
            if (last) {
                out.println();
            }
        } else {
            int tenth = total > 0 ? (int) (10 * done / total) : -1;
            // The closing line repeats nothing when the tenth that ended the job was just printed.
            if (last ? tenth != lastTenth || total <= 0 : tenth > lastTenth) {
                lastTenth = tenth;
                out.println(line(now));
            }
        }
        out.flush();
    }

    private double rate(long now) {
        return (done - base) / Math.max(1e-9, (end(now) - start) / 1e9);
    }

    private long end(long now) {
        return finished != 0 ? finished : now;
    }

    String line(long now) {
        now = end(now);
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = rate(now);
        StringBuilder b = new StringBuilder(label).append(' ');
        if (total > 0) {
            int width = 24;
            int filled = (int) Math.min(width, width * done / total);
            b.append('[').append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
            b.append(done).append('/').append(total).append(' ').append(unit);
        } else {
            b.append(done).append(' ').append(unit);
        }
        b.append(String.format(Locale.ROOT, "  %.1f %s/s", rate, unit));
        if (total > 0 && done < total && rate > 0) {
            b.append("  ETA ").append(duration((total - done) / rate));
        } else {
            b.append("  ").append(duration(seconds));
        }
        if (!status.isEmpty()) {
            b.append("  ").append(status);
        }
        return b.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (moved) {
                draw(true);
            }
        }
    }
}
