package kiban.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a request to stop, for commands that run until stopped: the
 * action runs and the command ends on its own, so it exits with its own code (0 after a clean stop)
 * instead of the JVM's 130 or 143. A signal the process was started ignoring (a background job of
 * a script) stays ignored. {@link #close} puts the previous handlers back.
 */
final class StopSignals implements AutoCloseable {

    private record Installed(Signal signal, SignalHandler previous) {}

    private final List<Installed> installed = new ArrayList<>();
    private volatile String received;

    StopSignals(Runnable stop) {
        for (String name : List.of("INT", "TERM")) {
            Signal s = new Signal(name);
            try {
                installed.add(new Installed(s, Signal.handle(s, sig -> {
                    received = "SIG" + sig.getName();
                    stop.run();
                })));
            } catch (IllegalArgumentException ignoredSignal) {
                // Ignored when the process started (or reserved by the VM): nothing will arrive to handle.
            }
        }
    }

    /** The signal that asked to stop (SIGINT, SIGTERM), or null when none did. */
    String received() {
        return received;
    }

    @Override
    public void close() {
        for (Installed i : installed) {
            Signal.handle(i.signal(), i.previous());
        }
    }
}
