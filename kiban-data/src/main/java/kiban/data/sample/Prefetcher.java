package kiban.data.sample;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;

/**
 * Training batches built ahead on worker threads from a {@link ShuffledOrder}: the caller's thread
 * draws each batch's sample numbers in sequence, workers turn them into batches, and batches come
 * back in draw order. The result is therefore the same for any number of workers, bit for bit.
 *
 * @param <T> the batch type {@code build} makes from an array of sample numbers
 */
public final class Prefetcher<T> implements AutoCloseable {

    private final ShuffledOrder order;
    private final int batchSize;
    private final Function<int[], T> build;
    private final int depth;
    private final ExecutorService pool;
    private final ArrayDeque<Future<T>> ahead = new ArrayDeque<>();
    private boolean started;

    /** {@code workers} threads keep up to {@code depth} batches of {@code batchSize} ready. */
    public Prefetcher(ShuffledOrder order, int batchSize, Function<int[], T> build, int workers, int depth) {
        if (batchSize < 1 || workers < 1 || depth < 1) {
            throw new InvalidInputException("prefetcher", "batch/workers/depth", ">= 1", batchSize + "/" + workers + "/" + depth);
        }
        this.order = order;
        this.batchSize = batchSize;
        this.build = build;
        this.depth = depth;
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "kiban-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    public int batchSize() {
        return batchSize;
    }

    /** Skips {@code samples} sample numbers (to resume a run); only before the first {@link #next}. */
    public void skip(long samples) {
        if (started) {
            throw new IllegalStateException("skip after batches were drawn");
        }
        order.skip(samples);
    }

    /** The next batch, waiting for it if the workers are behind. */
    public T next() {
        started = true;
        while (ahead.size() < depth) {
            int[] idx = order.next(batchSize);
            ahead.add(pool.submit(() -> build.apply(idx)));
        }
        Future<T> f = ahead.poll();
        int[] idx = order.next(batchSize);
        ahead.add(pool.submit(() -> build.apply(idx)));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanException("interrupted while building a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new KibanException("building a batch failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
