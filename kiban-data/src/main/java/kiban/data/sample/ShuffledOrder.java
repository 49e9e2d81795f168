package kiban.data.sample;

import java.util.SplittableRandom;
import kiban.core.error.InvalidInputException;

/**
 * Sample numbers for training, epoch after epoch without end: each epoch a Fisher-Yates
 * permutation drawn from one {@link SplittableRandom} seeded once, so the whole sequence follows
 * from the seed, and a batch may straddle two epochs. {@link #skip} advances it exactly as
 * {@link #next} would, which is how a resumed run continues where it stopped.
 */
public final class ShuffledOrder {

    private final int size;
    private final SplittableRandom random;
    private int[] order;
    private int cursor;
    private long position;

    public ShuffledOrder(int size, long seed) {
        if (size < 1) {
            throw new InvalidInputException("sampler", "samples", ">= 1", Integer.toString(size));
        }
        this.size = size;
        this.random = new SplittableRandom(seed);
        reshuffle();
    }

    /** Samples per epoch. */
    public int size() {
        return size;
    }

    /** Sample numbers drawn or skipped so far: where the next one stands in the whole sequence. */
    public long position() {
        return position;
    }

    /** The next {@code count} sample numbers, reshuffling at the end of each epoch. */
    public int[] next(int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            if (cursor == order.length) {
                reshuffle();
            }
            out[i] = order[cursor++];
        }
        position += count;
        return out;
    }

    /** Advances by {@code count} sample numbers without returning them. */
    public void skip(long count) {
        long left = count;
        position += count;
        while (left > 0) {
            if (cursor == order.length) {
                reshuffle();
            }
            int n = (int) Math.min(left, order.length - cursor);
            cursor += n;
            left -= n;
        }
    }

    private void reshuffle() {
        order = identity(size);
        shuffle(order, random);
        cursor = 0;
    }

    static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /** Fisher-Yates, last element first. */
    static void shuffle(int[] idx, SplittableRandom rnd) {
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
    }
}
