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
    private final Build<T> build;
    private final int depth;
    private final ExecutorService pool;
    private final ArrayDeque<Future<T>> ahead = new ArrayDeque<>();
    private boolean started;

    /** Makes a batch from its sample numbers and where the first stands in the order's sequence. */
    @FunctionalInterface
    public interface Build<T> {
        /**
         * @param position {@link ShuffledOrder#position()} before the batch was drawn: the same for the
         *     same batch of a run however threads are timed, and after a resume; a key for per-sample randomness
         */
        T build(long position, int[] samples);
    }

    /** {@code workers} threads keep up to {@code depth} batches of {@code batchSize} ready. */
    public Prefetcher(ShuffledOrder order, int batchSize, Function<int[], T> build, int workers, int depth) {
        this(order, batchSize, (Build<T>) (position, samples) -> build.apply(samples), workers, depth);
    }

    /** As above, for batches that also need their position (for seeded augmentation, say). */
    public Prefetcher(ShuffledOrder order, int batchSize, Build<T> build, int workers, int depth) {
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
            submit();
        }
        Future<T> f = ahead.poll();
        submit();
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

    /** Draws the next batch's sample numbers here, in sequence, and builds it on a worker. */
    private void submit() {
        long position = order.position();
        int[] idx = order.next(batchSize);
        ahead.add(pool.submit(() -> build.build(position, idx)));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
