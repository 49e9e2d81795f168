package kiban.runtime.loop;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a deadline on {@link System#nanoTime()}: parks until {@code spinNanos} before it, then
 * spins. Parking alone wakes up tens to hundreds of microseconds late on a virtual machine;
 * spinning the last stretch buys precision for a little CPU (see /docs/RUNTIME.md).
 */
public final class Pacer {

    /** 50 µs: enough to absorb a typical park overshoot, as measured on the project's 2-core machines. */
    public static final long DEFAULT_SPIN_NANOS = 50_000;

    private final long spinNanos;

    public Pacer(long spinNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
        }
        this.spinNanos = spinNanos;
    }

    /** Returns once {@code deadline} has passed, with the time it woke at. */
    public long waitUntil(long deadline) {
        return waitUntil(deadline, () -> false);
    }

    /**
     * Returns once {@code deadline} has passed or {@code cancelled} says so (checked whenever the
     * thread wakes: unpark it to cancel a long wait), with the time it woke at.
     */
    public long waitUntil(long deadline, java.util.function.BooleanSupplier cancelled) {
        while (true) {
            long now = System.nanoTime();
            long remaining = deadline - now;
            if (remaining <= 0 || cancelled.getAsBoolean()) {
                return now;
            }
            if (remaining > spinNanos) {
                LockSupport.parkNanos(remaining - spinNanos);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
