package kiban.runtime.loop;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;

/**
 * Runs the policy on its own thread so a slow model never blocks the control loop. The loop
 * {@link #request}s a chunk for an observation history and later {@link #poll}s for the result;
 * at most one inference is in flight. A policy that throws produces no chunk (the shield's
 * watchdog then stops the machine); the first failure is kept for the report. A request with
 * frozen rows asks the policy to continue them ({@link Policy#inferContinuing}: real-time chunking),
 * with the running chunk's rows after them as a soft guide where the request carries them.
 */
final class InferenceWorker implements AutoCloseable {

    private record Request(long cycle, double[][] history, long epoch, double[][] frozen, double[][] following) {}

    private final Policy policy;
    private final Thread thread;
    private final AtomicReference<Request> request = new AtomicReference<>();
    private final AtomicReference<Chunk> result = new AtomicReference<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private volatile boolean busy;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long failures;
    private long epoch;

    InferenceWorker(Policy policy) {
        this.policy = policy;
        this.thread = Thread.ofPlatform().name("kiban-inference").daemon().unstarted(this::run);
        thread.start();
    }

    /** Asks for a chunk; false (nothing asked) while an inference is in flight. */
    boolean request(long cycle, double[][] history, long epoch) {
        return request(cycle, history, epoch, null, null);
    }

    /**
     * Asks for a chunk whose first rows continue {@code frozen} (none or empty: a plain chunk), drawn
     * toward {@code following} after them (null: the hard mask); false while one is in flight.
     */
    boolean request(long cycle, double[][] history, long epoch, double[][] frozen, double[][] following) {
        if (busy) {
            return false;
        }
        busy = true;
        request.set(new Request(cycle, history, epoch, frozen, following));
        LockSupport.unpark(thread);
        return true;
    }

    /** The newest finished chunk, once; null when none is new. */
    Chunk poll() {
        return result.getAndSet(null);
    }

    /**
     * Waits until {@code until} (nanoTime) for the chunk in flight: a fast policy's chunk then starts
     * on the cycle it observed. Returns null when none came in time (or none is in flight).
     */
    Chunk await(long until) {
        while (true) {
            Chunk c = result.getAndSet(null);
            if (c != null || !busy) {
                return c != null ? c : result.getAndSet(null);
            }
            long remaining = until - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            if (remaining > 100_000) {
                LockSupport.parkNanos(50_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    boolean busy() {
        return busy;
    }

    /** Inference latencies so far; read it after {@link #close}. */
    LatencyHistogram latency() {
        return latency;
    }

    long failures() {
        return failures;
    }

    Throwable failure() {
        return failure;
    }

    private void run() {
        while (running) {
            Request r = request.getAndSet(null);
            if (r == null) {
                LockSupport.park(this);
                continue;
            }
            try {
                if (r.epoch() != epoch) {
                    epoch = r.epoch();
                    policy.reset();
                }
                long t0 = System.nanoTime();
                boolean continuing = r.frozen() != null && r.frozen().length > 0;
                double[][] actions = !continuing ? policy.infer(r.history())
                        : r.following() == null ? policy.inferContinuing(PolicyObservation.of(r.history()), r.frozen())
                        : policy.inferContinuing(PolicyObservation.of(r.history()), r.frozen(), r.following());
                long took = System.nanoTime() - t0;
                synchronized (latency) {
                    latency.record(took);
                }
                if (actions != null && actions.length > 0) {
                    result.set(new Chunk(r.cycle(), actions, r.epoch(), took, continuing ? r.frozen().length : 0));
                }
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
                failures++;
            } finally {
                busy = false;
            }
        }
    }

    /** Stops the thread; waits briefly for an inference in flight (a hung model is abandoned: the thread is a daemon). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
