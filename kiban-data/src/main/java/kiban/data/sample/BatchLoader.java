package kiban.data.sample;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;

/**
 * Batches of one epoch: the sample order is a Fisher-Yates permutation seeded with
 * {@code (seed, epoch)} (or the identity without shuffling), cut into batches; {@code workers}
 * threads build up to {@code prefetch} batches ahead. Batches come back in order, so the result is
 * the same for any number of workers. For training without epoch boundaries (batches that straddle
 * epochs, exact resume) see {@link ShuffledOrder} and {@link Prefetcher}.
 */
public final class BatchLoader implements Iterable<Batch>, AutoCloseable {

    private final SampleSource source;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final ExecutorService pool;

    public BatchLoader(SampleSource source, int batchSize, boolean shuffle, boolean dropLast, long seed, int workers, int prefetch) {
        if (batchSize < 1) {
            throw new InvalidInputException("loader", "batch_size", ">= 1", Integer.toString(batchSize));
        }
        if (workers < 1 || prefetch < 1) {
            throw new InvalidInputException("loader", "workers/prefetch", ">= 1", workers + "/" + prefetch);
        }
        this.source = source;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.prefetch = prefetch;
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "kiban-batch-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /** Batches of epoch 0. */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(0);
    }

    /** The sample order of an epoch. */
    public int[] order(int epoch) {
        int[] idx = ShuffledOrder.identity(source.size());
        if (shuffle) {
            ShuffledOrder.shuffle(idx, new SplittableRandom(seed ^ (0x5DEECE66DL * (epoch + 1))));
        }
        return idx;
    }

    /** Batches of one epoch, prefetched in the background. */
    public Iterator<Batch> epoch(int epoch) {
        int[] order = order(epoch);
        int full = order.length / batchSize;
        int count = dropLast || order.length % batchSize == 0 ? full : full + 1;
        return new Iterator<>() {
            private final List<Future<Batch>> ahead = new ArrayList<>();
            private int submitted;
            private int returned;

            private void fill() {
                while (submitted < count && ahead.size() < prefetch) {
                    int b = submitted++;
                    ahead.add(pool.submit(() -> {
                        int from = b * batchSize;
                        int to = Math.min(order.length, from + batchSize);
                        List<Sample> s = new ArrayList<>(to - from);
                        for (int i = from; i < to; i++) {
                            s.add(source.get(order[i]));
                        }
                        return new Batch(epoch, b, List.copyOf(s));
                    }));
                }
            }

            @Override
            public boolean hasNext() {
                return returned < count;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                fill();
                Future<Batch> f = ahead.remove(0);
                returned++;
                fill();
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KibanException("interrupted while loading a batch", e);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new KibanException("loading a batch failed: " + c, c);
                }
            }
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
