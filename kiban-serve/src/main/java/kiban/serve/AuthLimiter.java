package kiban.serve;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed API-key attempts per client address in fixed windows (a minute by default): an
 * address that has failed {@code maxFailures} times in the current window is refused until the
 * window ends, without its key being looked at, so guessing runs at {@code maxFailures} tries a
 * minute per address. The table is bounded; when it is full of live windows it starts over, which
 * an attacker with that many addresses could use, but 128-bit keys stay out of reach regardless.
 */
final class AuthLimiter {

    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    static final int MAX_ADDRESSES = 10_000;

    private record Window(long start, int failures) {}

    private final int maxFailures;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    AuthLimiter(int maxFailures, Duration window, LongSupplier nanoClock) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    AuthLimiter(int maxFailures) {
        this(maxFailures, DEFAULT_WINDOW, System::nanoTime);
    }

    /** Seconds until {@code address} may try again; 0 when it may now. */
    long blockedSeconds(String address) {
        Window w = windows.get(address);
        long now = clock.getAsLong();
        if (w == null || now - w.start() >= windowNanos || w.failures() < maxFailures) {
            return 0;
        }
        return Math.max(1, (w.start() + windowNanos - now + 999_999_999L) / 1_000_000_000L);
    }

    /** One more failed attempt from {@code address}. */
    void failed(String address) {
        long now = clock.getAsLong();
        if (windows.size() >= MAX_ADDRESSES) {
            purge(now);
        }
        windows.compute(address, (a, w) -> w == null || now - w.start() >= windowNanos ? new Window(now, 1)
                : new Window(w.start(), w.failures() + 1));
    }

    private void purge(long now) {
        for (Iterator<Window> it = windows.values().iterator(); it.hasNext(); ) {
            if (now - it.next().start() >= windowNanos) {
                it.remove();
            }
        }
        if (windows.size() >= MAX_ADDRESSES) {
            windows.clear();
        }
    }
}
