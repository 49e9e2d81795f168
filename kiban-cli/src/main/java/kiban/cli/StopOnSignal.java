package kiban.cli;

import kiban.runtime.loop.ControlLoop;

/**
 * Ctrl-C (SIGINT) or SIGTERM during {@code kiban run}: once the loop runs, a stop request to it, so
 * the command itself stops the machine, saves the episode in progress and prints what it kept
 * before it exits with the signal's conventional code ({@link #exitCode}). Before the loop runs
 * (connecting to a machine or a policy server, which can take a while) nothing moves yet, so the
 * process exits at once.
 */
final class StopOnSignal implements AutoCloseable {

    /** The stop reason the run reports. */
    static final String REASON = "interrupted (Ctrl-C or SIGTERM)";

    private final StopSignals signals = new StopSignals(this::onSignal);
    private volatile ControlLoop loop;

    /** The loop to stop on a signal; stopped at once if the signal came while it was being built. */
    void watch(ControlLoop l) {
        loop = l;
        if (signals.received() != null) {
            l.requestStop(REASON);
        }
    }

    /** Whether a signal came (the run was interrupted, not failed). */
    boolean signalled() {
        return signals.received() != null;
    }

    /** 130 after SIGINT, 143 after SIGTERM (128 plus the signal's number, as shells report it). */
    int exitCode() {
        return "SIGTERM".equals(signals.received()) ? 143 : 130;
    }

    private void onSignal() {
        ControlLoop l = loop;
        if (l != null) {
            l.requestStop(REASON);
        } else {
            System.exit(exitCode());
        }
    }

    @Override
    public void close() {
        signals.close();
    }
}
