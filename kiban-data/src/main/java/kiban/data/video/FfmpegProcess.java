package kiban.data.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import kiban.core.error.KibanException;

/**
 * One ffmpeg process, kept on a short leash: its stderr is drained on a thread of its own from the
 * start (the last {@value #ERROR_TAIL_BYTES} bytes kept for the error message), so that a flood of
 * errors cannot fill the pipe and stall both sides; every blocking step runs under a deadline after
 * which the process is killed; and {@link #close} kills it whatever happened, so no failure leaves
 * it running.
 */
final class FfmpegProcess implements AutoCloseable {

    /** How much of ffmpeg's stderr is kept for an error message. */
    static final int ERROR_TAIL_BYTES = 64 * 1024;
    private static final int MESSAGE_CHARS = 2000;

    private static final ScheduledExecutorService TIMER = timer();

    private final Process process;
    private final String what;
    private final Duration timeout;
    private final ByteArrayOutputStream tail = new ByteArrayOutputStream();
    private final Thread drain;
    private volatile boolean timedOut;

    private FfmpegProcess(Process process, String what, Duration timeout) {
        this.process = process;
        this.what = what;
        this.timeout = timeout;
        this.drain = Thread.ofPlatform().daemon().name("ffmpeg-stderr").start(this::drainErrors);
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor t = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(1,
                r -> Thread.ofPlatform().daemon().name("ffmpeg-deadline").unstarted(r));
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    /** Starts {@code cmd}; {@code readOutput} pipes its stdout to the caller, else it is discarded. */
    static FfmpegProcess start(List<String> cmd, String what, boolean readOutput, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(readOutput ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD);
        try {
            return new FfmpegProcess(pb.start(), what, timeout);
        } catch (IOException e) {
            throw new KibanException("cannot run " + cmd.get(0) + " (" + e.getMessage() + "): video features need ffmpeg; "
                    + "install it (Debian: apt-get install ffmpeg, or scripts/install-test-deps) or set -Dkiban.ffmpeg=PATH", e);
        }
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    InputStream stdout() {
        return process.getInputStream();
    }

    /** A blocking step that may take at most the timeout; past it the process is killed, which ends the step. */
    interface Step<T> {
        T run() throws IOException;
    }

    <T> T within(Step<T> step) throws IOException {
        ScheduledFuture<?> deadline = TIMER.schedule(() -> {
            timedOut = true;
            process.destroyForcibly();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return step.run();
        } finally {
            deadline.cancel(false);
        }
    }

    /** Closes stdin and waits (within the timeout) for a zero exit; anything else is an error naming the step. */
    void finish() {
        try {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // ffmpeg's exit status tells what went wrong.
            }
            Integer rc = within(() -> {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            });
            if (timedOut) {
                throw timeoutError();
            }
            if (rc != 0) {
                throw new KibanException("ffmpeg failed " + what + " (exit " + rc + ")" + errors());
            }
        } catch (IOException e) {
            close();
            throw failure(e);
        }
    }

    /** The error for an I/O failure talking to the process (a timeout if the deadline killed it). */
    KibanException failure(IOException e) {
        close();
        return timedOut ? timeoutError() : new KibanException("ffmpeg failed " + what + ": " + e.getMessage() + errors(), e);
    }

    private KibanException timeoutError() {
        return new KibanException("ffmpeg did not finish " + what + " within " + timeout.toSeconds() + " s (system property "
                + Ffmpeg.TIMEOUT_PROPERTY + "); it was stopped" + errors());
    }

    /** Kills the process if it still runs and waits for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            drain.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ffmpeg's last error output, for a message: "" or ": ...". */
    String errors() {
        try {
            drain.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String err;
        synchronized (tail) {
            err = tail.toString(StandardCharsets.UTF_8).strip();
        }
        if (err.length() > MESSAGE_CHARS) {
            err = "..." + err.substring(err.length() - MESSAGE_CHARS);
        }
        return err.isEmpty() ? "" : ": " + err;
    }

    private void drainErrors() {
        byte[] buf = new byte[8192];
        try (InputStream err = process.getErrorStream()) {
            for (int n; (n = err.read(buf)) >= 0; ) {
                synchronized (tail) {
                    tail.write(buf, 0, n);
                    if (tail.size() > 2 * ERROR_TAIL_BYTES) {
                        byte[] all = tail.toByteArray();
                        tail.reset();
                        tail.write(all, all.length - ERROR_TAIL_BYTES, ERROR_TAIL_BYTES);
                    }
                }
            }
        } catch (IOException ignored) {
            // The process is gone; what was read is kept.
        }
    }
}
