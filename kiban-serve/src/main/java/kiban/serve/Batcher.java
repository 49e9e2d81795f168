package kiban.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kiban.core.error.KibanException;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;

/**
 * Runs requests from every client through one worker thread, grouping those that arrive together
 * into one {@link Policy#inferBatch} call (dynamic batching). The policy can be swapped between
 * batches; requests in flight finish on the old one.
 */
final class Batcher implements AutoCloseable {

    /** One request's actions, the forward pass's wall time and how many requests shared it. */
    record Result(double[][] actions, double inferMs, int batchSize) {}

    private record Job(PolicyObservation[] history, CompletableFuture<Result> reply) {}

    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final long maxWaitNanos;
    private final ServeMetrics metrics;
    private final Object policyLock = new Object();
    private final Thread worker;
    private volatile boolean running = true;
    private Policy policy;

    Batcher(Policy policy, int maxBatch, double maxWaitMs, ServeMetrics metrics) {
        this.policy = policy;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = (long) (maxWaitMs * 1e6);
        this.metrics = metrics;
        this.worker = new Thread(this::work, "kiban-serve-batcher");
        worker.setDaemon(true);
        worker.start();
    }

    CompletableFuture<Result> submit(PolicyObservation[] history) {
        CompletableFuture<Result> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new KibanException("the server is shutting down"));
            return f;
        }
        queue.add(new Job(history, f));
        return f;
    }

    /** Swaps in {@code next} after the batch running now and returns the old policy, for the caller to close. */
    Policy swap(Policy next) {
        synchronized (policyLock) {
            Policy old = policy;
            policy = next;
            return old;
        }
    }

    Policy policy() {
        synchronized (policyLock) {
            return policy;
        }
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        while (running) {
            try {
                Job first = queue.take();
                if (first.reply().isDone()) {
                    continue; // cancelled: its client has gone
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    Job j = maxWaitNanos == 0 ? queue.poll() : queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (j == null) {
                        break;
                    }
                    if (!j.reply().isDone()) {
                        batch.add(j);
                    }
                }
            } catch (InterruptedException e) {
                break;
            }
            run(batch);
            batch.clear();
        }
        failAll(batch);
        List<Job> rest = new ArrayList<>();
        queue.drainTo(rest);
        failAll(rest);
    }

    private void run(List<Job> batch) {
        PolicyObservation[][] histories = new PolicyObservation[batch.size()][];
        for (int i = 0; i < histories.length; i++) {
            histories[i] = batch.get(i).history();
        }
        double[][][] actions;
        long t0 = System.nanoTime();
        try {
            synchronized (policyLock) {
                actions = policy.inferBatch(histories);
            }
        } catch (RuntimeException e) {
            if (batch.size() > 1) {
                // One request may be to blame: run each alone so only its own client sees the error.
                for (Job j : batch) {
                    run(List.of(j));
                }
            } else {
                batch.getFirst().reply().completeExceptionally(e);
            }
            return;
        }
        long nanos = System.nanoTime() - t0;
        metrics.batch(batch.size(), nanos);
        for (int i = 0; i < actions.length; i++) {
            // A request cancelled meanwhile ignores its result.
            batch.get(i).reply().complete(new Result(actions[i], nanos / 1e6, batch.size()));
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
}
