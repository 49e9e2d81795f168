package kiban.runtime.loop;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop's {@link CycleListener}s (the recorder), told of each cycle. A listener that throws, or
 * reports a {@link CycleListener#failure()}, is told nothing more; the loop learns of its first
 * failure once and decides (warn or end the run).
 */
final class ListenerGroup {

    private final List<CycleListener> listeners;
    private final boolean[] failed;
    private final List<String> failures = new ArrayList<>();

    ListenerGroup(List<CycleListener> listeners) {
        this.listeners = List.copyOf(listeners);
        this.failed = new boolean[this.listeners.size()];
    }

    void onEpisodeEnd() {
        for (int i = 0; i < listeners.size(); i++) {
            if (!failed[i]) {
                try {
                    listeners.get(i).onEpisodeEnd();
                } catch (RuntimeException e) {
                    fail(i, e);
                }
            }
        }
    }

    /** Tells every working listener of the cycle; returns the failures found since the last call (usually none). */
    List<String> onCycle(long cycle, double[] observation, double[] proposed, double[] sent, long reasons) {
        int known = failures.size();
        for (int i = 0; i < listeners.size(); i++) {
            if (failed[i]) {
                continue;
            }
            CycleListener l = listeners.get(i);
            try {
                l.onCycle(cycle, observation, proposed, sent, reasons);
            } catch (RuntimeException e) {
                fail(i, e);
                continue;
            }
            Throwable f = l.failure();
            if (f != null) {
                fail(i, f);
            }
        }
        return known == failures.size() ? List.of() : List.copyOf(failures.subList(known, failures.size()));
    }

    private void fail(int i, Throwable e) {
        failed[i] = true;
        failures.add(e.getMessage() == null ? e.toString() : e.getMessage());
    }
}
