package kiban.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import kiban.core.error.KibanException;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs requests from every client through one worker thread, grouping those that arrive together
 * into one {@link Policy#inferBatch} call (dynamic batching); a server of several embodiments runs
 * one call per embodiment in the batch, and replies in the order the requests came. A request that finds the policy idle
 * and nobody waiting runs at once on the thread that received it: handing it to the worker would
 * only add a thread wake-up to its round trip. The policy can be swapped between batches; requests
 * in flight finish on the old one. The queue is bounded: a request beyond it
 * fails at once with {@link Busy}. Whatever a batch throws (an {@link Error} too) fails that batch
 * alone; the worker goes on, and {@link #health} says when the policy keeps failing.
 */
final class Batcher implements AutoCloseable {

    /** Consecutive failed requests after which the policy counts as failing repeatedly (unhealthy). */
    static final int FAILING_AFTER = 5;

    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    /** One request's actions, the forward pass's wall time and how many requests shared it. */
    record Result(double[][] actions, double inferMs, int batchSize) {}

    /** Whether the worker runs, and how many requests in a row the policy has failed (with the last failure). */
    record Health(boolean workerAlive, int consecutiveFailures, String lastFailure) {
        boolean healthy() {
            return workerAlive && consecutiveFailures < FAILING_AFTER;
        }
    }

    private record Job(String embodiment, PolicyObservation[] history, CompletableFuture<Result> reply) {}

    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    /**
     * Requests accepted and not yet running: those queued and those the worker has taken for its next
     * batch (it may wait for a request running on a receiving thread). Bounded by {@code maxQueue}.
     */
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxQueue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final ServeMetrics metrics;
    /** Held while the policy runs (by the worker, or by a receiving thread that found it idle) and while it is swapped. */
    private final ReentrantLock inference = new ReentrantLock();
    private final Thread worker;
    private volatile boolean running = true;
    private volatile int consecutiveFailures;
    private volatile String lastFailure;
    private ServedPolicies policy;

    Batcher(ServedPolicies policy, int maxBatch, double maxWaitMs, int maxQueue, ServeMetrics metrics) {
        this.policy = policy;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = (long) (maxWaitMs * 1e6);
        this.maxQueue = maxQueue;
        this.metrics = metrics;
        this.worker = new Thread(this::work, "kiban-serve-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues {@code history} for the policy; with {@code mayRunHere}, runs it on the calling thread
     * instead when the policy is idle and the queue empty (the future is then complete on return).
     * A caller passes {@code mayRunHere} only when none of its earlier requests is still queued, so
     * that its replies keep their order.
     */
    CompletableFuture<Result> submit(PolicyObservation[] history, boolean mayRunHere) {
        return submit(ServedPolicies.SINGLE, history, mayRunHere);
    }

    /** As {@link #submit(PolicyObservation[], boolean)}, for the policy of {@code embodiment} (one of the served). */
    CompletableFuture<Result> submit(String embodiment, PolicyObservation[] history, boolean mayRunHere) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new KibanException("the server is shutting down"));
        } else if (!worker.isAlive()) {
            f.completeExceptionally(new KibanException("the server's inference worker has stopped; restart the server"));
        } else {
            Job job = new Job(embodiment, history, f);
            if (mayRunHere && waiting.get() == 0 && inference.tryLock()) {
                try {
                    if (waiting.get() == 0) {
                        run(List.of(job));
                        return f;
                    }
                } finally {
                    inference.unlock();
                }
            }
            if (waiting.incrementAndGet() <= maxQueue) {
                queue.add(job);
                // A request whose client has gone gives its place back at once, so the dead cannot crowd out the living.
                f.whenComplete((r, e) -> {
                    if (f.isCancelled() && queue.remove(job)) {
                        waiting.decrementAndGet();
                    }
                });
            } else {
                waiting.decrementAndGet();
                metrics.error("busy");
                f.completeExceptionally(new Busy(maxQueue));
            }
        }
        return f;
    }

    /** Swaps in {@code next} after the batch running now and returns the old policies, for the caller to close. */
    ServedPolicies swap(ServedPolicies next) {
        inference.lock();
        try {
            ServedPolicies old = policy;
            policy = next;
            return old;
        } finally {
            inference.unlock();
        }
    }

    ServedPolicies policy() {
        inference.lock();
        try {
            return policy;
        } finally {
            inference.unlock();
        }
    }

    Health health() {
        return new Health(worker.isAlive(), consecutiveFailures, lastFailure);
    }

    /** True while the queue has room. */
    boolean accepting() {
        return running && waiting.get() < maxQueue;
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                if (!collect(batch)) {
                    continue;
                }
            } catch (InterruptedException e) {
                break;
            }
            inference.lock();
            try {
                waiting.addAndGet(-batch.size());
                run(batch);
            } finally {
                inference.unlock();
            }
            batch.clear();
        }
        failAll(batch);
        List<Job> rest = new ArrayList<>();
        queue.drainTo(rest);
        failAll(rest);
    }

    /** Takes the next batch from the queue; false when its first request was cancelled meanwhile. */
    private boolean collect(List<Job> batch) throws InterruptedException {
        Job first = queue.take();
        if (first.reply().isDone()) {
            waiting.decrementAndGet();
            return false; // cancelled: its client has gone
        }
        batch.add(first);
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            Job j = maxWaitNanos == 0 ? queue.poll() : queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (j == null) {
                break;
            }
            if (j.reply().isDone()) {
                waiting.decrementAndGet();
            } else {
                batch.add(j);
            }
        }
        return true;
    }

    /**
     * Runs one batch, one forward pass per embodiment in it, then completes the replies in the
     * batch's order, so that a connection's replies keep its requests' order whatever their
     * embodiments; the caller holds {@link #inference}.
     */
    private void run(List<Job> batch) {
        Object[] outcomes = new Object[batch.size()];
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.get(i).embodiment(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            infer(policy.byEmbodiment().get(g.getKey()), batch, g.getValue(), outcomes);
        }
        for (int i = 0; i < outcomes.length; i++) {
            // A request cancelled meanwhile ignores its result.
            if (outcomes[i] instanceof Result r) {
                batch.get(i).reply().complete(r);
            } else {
                batch.get(i).reply().completeExceptionally((Throwable) outcomes[i]);
            }
        }
    }

    /** Runs the requests {@code which} of {@code batch} through {@code p} as one forward pass, into {@code outcomes}. */
    private void infer(Policy p, List<Job> batch, List<Integer> which, Object[] outcomes) {
        PolicyObservation[][] histories = new PolicyObservation[which.size()][];
        for (int i = 0; i < histories.length; i++) {
            histories[i] = batch.get(which.get(i)).history();
        }
        double[][][] actions;
        long t0 = System.nanoTime();
        try {
            actions = p.inferBatch(histories);
        } catch (Throwable e) {
            // An Error too (a native library's, a stack overflow): serving must outlive any one batch.
            if (which.size() > 1) {
                // One request may be to blame: run each alone so only its own client sees the error.
                for (int i : which) {
                    infer(p, batch, List.of(i), outcomes);
                }
            } else {
                failed(e);
                outcomes[which.getFirst()] = e;
            }
            return;
        }
        long nanos = System.nanoTime() - t0;
        consecutiveFailures = 0;
        metrics.batch(which.size(), nanos);
        for (int i = 0; i < actions.length; i++) {
            outcomes[which.get(i)] = new Result(actions[i], nanos / 1e6, which.size());
        }
    }

    private void failed(Throwable e) {
        int n = ++consecutiveFailures;
        lastFailure = ErrorText.of(e);
        metrics.error("internal");
        if (n == 1 || n == FAILING_AFTER) {
            // The whole trace goes to the server's log only; clients get a short text without class names.
            LOG.error("the policy failed a request ({} in a row)", n, e);
        }
    }

    private static void failAll(List<Job> jobs) {
        for (Job j : jobs) {
            j.reply().completeExceptionally(new KibanException("the server is shutting down"));
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The queue is full: the client should retry after a moment. */
    static final class Busy extends KibanException {
        static final int RETRY_AFTER_SECONDS = 1;

        Busy(int maxQueue) {
            super("server busy: " + maxQueue + " requests are already waiting for the model (--max-queue); retry in "
                    + RETRY_AFTER_SECONDS + " s");
        }
    }
}
