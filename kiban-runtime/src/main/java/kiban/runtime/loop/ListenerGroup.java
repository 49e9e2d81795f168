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
    /** Failures already handed to the loop; one found at an episode's end waits for the next cycle. */
    private int reported;

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

    /**
     * Tells every working listener of the cycle; returns the failures not yet returned (usually
     * none), those found at an episode's end included.
     */
    List<String> onCycle(long cycle, double[] observation, double[] proposed, double[] sent, long reasons) {
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
        if (reported == failures.size()) {
            return List.of();
        }
        List<String> fresh = List.copyOf(failures.subList(reported, failures.size()));
        reported = failures.size();
        return fresh;
    }

    private void fail(int i, Throwable e) {
        failed[i] = true;
        failures.add(e.getMessage() == null ? e.toString() : e.getMessage());
    }
}
