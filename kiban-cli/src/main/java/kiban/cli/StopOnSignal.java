package kiban.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import kiban.runtime.loop.ControlLoop;

/**
 * Turns Ctrl-C (SIGINT) or SIGTERM during {@code kiban run} into a stop request to the control loop,
 * and holds the JVM's exit until the command has stopped the machine, saved the episode in progress
 * and printed what it kept (at most {@link #WAIT_SECONDS}). Without it the JVM would exit at once,
 * in the middle of the loop: nothing printed, the episode in progress lost.
 */
final class StopOnSignal implements AutoCloseable {

    /** The stop reason the run reports. */
    static final String REASON = "interrupted (Ctrl-C or SIGTERM)";
    /** Long enough for the recorder's close timeout (30 s) and the summary. */
    static final int WAIT_SECONDS = 60;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "kiban-run-stop");
    private volatile ControlLoop loop;
    private volatile boolean signalled;

    StopOnSignal() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The loop to stop on a signal; stopped at once if the signal came while it was being built. */
    void watch(ControlLoop l) {
        loop = l;
        if (signalled) {
            l.requestStop(REASON);
        }
    }

    /** Whether a signal came (the run was interrupted, not failed). */
    boolean signalled() {
        return signalled;
    }

    private void onSignal() {
        signalled = true;
        ControlLoop l = loop;
        if (l != null) {
            l.requestStop(REASON);
        }
        try {
            done.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is done (it printed its summary): a signal need not wait any more. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs, and returns at once now
        }
    }
}
