package kiban.runtime.loop;

import java.util.ArrayDeque;
import java.util.Deque;
import kiban.core.policy.CrossFade;
import kiban.core.policy.DeltaActions;

/**
 * The action chunks in flight, turned into one action per control cycle. A chunk's row {@code i}
 * belongs to cycle {@code start + i}; the rows whose cycles passed while the model ran are never
 * executed (latency compensation: the loop does not fall behind the policy's plan). Chunk
 * boundaries are blended:
 * <ul>
 *   <li>{@link Blend#ENSEMBLE}: ACT's temporal ensembling, the weighted mean over every chunk
 *       covering the cycle, weight {@code exp(-decay * i)} with {@code i = 0} the oldest;</li>
 *   <li>{@link Blend#CROSSFADE}: the newest chunk, faded in linearly over {@code crossfade} cycles
 *       from the chunk it replaces;</li>
 *   <li>{@link Blend#CONTINUE}: the newest chunk from its row for the cycle, not blended: its first
 *       rows are the ones of the chunk it replaces that executed while it was inferred (real-time
 *       chunking), so it continues that chunk by construction.</li>
 * </ul>
 * Rows of delta actions are blended as steps and then made commands with the reading of the
 * cycle that executes them ({@link #next(long, double[])}). Used on the control-loop thread only;
 * {@link #next} does not allocate.
 */
public final class ChunkQueue {

    /** How overlapping chunks are blended. */
    public enum Blend { ENSEMBLE, CROSSFADE, CONTINUE }

    private final Blend blend;
    private final double decay;
    private final int crossfade;
    private final int actionDim;
    private final DeltaActions delta;
    private final Deque<Chunk> chunks = new ArrayDeque<>();
    private final double[] out;
    private long arrivedNewest = Long.MIN_VALUE;
    private long expiredActions;
    private long chunksAdded;

    public ChunkQueue(Blend blend, double decay, int crossfade, int actionDim) {
        this(blend, decay, crossfade, actionDim, DeltaActions.NONE);
    }

    /** A queue whose rows are steps for {@code delta}'s features. */
    public ChunkQueue(Blend blend, double decay, int crossfade, int actionDim, DeltaActions delta) {
        if (!(decay >= 0) || crossfade < 0 || actionDim < 1) {
            throw new IllegalArgumentException("need decay >= 0, crossfade >= 0, actionDim >= 1; got " + decay + ", "
                    + crossfade + ", " + actionDim);
        }
        this.blend = blend;
        this.decay = decay;
        this.crossfade = crossfade;
        this.actionDim = actionDim;
        this.delta = delta;
        this.out = new double[actionDim];
    }

    /** Adds a chunk that arrived at cycle {@code now}; the rows before {@code now} are counted as expired. */
    void add(Chunk chunk, long now) {
        if (chunk.actions().length == 0 || chunk.actions()[0].length != actionDim) {
            throw new IllegalArgumentException("a chunk must have rows of " + actionDim + " actions");
        }
        expiredActions += Math.min(chunk.actions().length, Math.max(0, now - chunk.start()));
        chunks.addLast(chunk);
        arrivedNewest = now;
        chunksAdded++;
    }

    /** Forgets every chunk (a new episode). */
    void clear() {
        chunks.clear();
        arrivedNewest = Long.MIN_VALUE;
    }

    /**
     * The command for {@code cycle} given the {@code observation} read in that cycle: the blended
     * row with the observation added for delta actions; null when no chunk covers the cycle.
     */
    double[] next(long cycle, double[] observation) {
        double[] a = next(cycle);
        if (a != null) {
            delta.addTo(a, observation);
        }
        return a;
    }

    /**
     * The blended row for {@code cycle} (steps, for delta actions), or null when no chunk covers it. The array is reused by the
     * next call; it may hold non-finite values if the policy produced them (the shield judges).
     */
    double[] next(long cycle) {
        while (!chunks.isEmpty() && chunks.peekFirst().end() <= cycle) {
            chunks.removeFirst();
        }
        if (chunks.isEmpty() || chunks.peekLast().start() > cycle) {
            return null;
        }
        if (blend == Blend.ENSEMBLE) {
            java.util.Arrays.fill(out, 0);
            double total = 0;
            int i = 0;
            for (Chunk c : chunks) {
                if (c.start() > cycle) {
                    continue;
                }
                double w = Math.exp(-decay * i++);
                double[] a = c.actions()[(int) (cycle - c.start())];
                for (int j = 0; j < actionDim; j++) {
                    out[j] += w * a[j];
                }
                total += w;
            }
            for (int j = 0; j < actionDim; j++) {
                out[j] /= total;
            }
            return out;
        }
        Chunk newest = chunks.peekLast();
        double[] a = newest.actions()[(int) (cycle - newest.start())];
        long since = cycle - arrivedNewest;
        Chunk previous = null;
        if (blend == Blend.CROSSFADE && chunks.size() > 1 && since < crossfade) {
            var it = chunks.descendingIterator();
            it.next();
            previous = it.next();
        }
        if (previous == null || previous.start() > cycle) {
            System.arraycopy(a, 0, out, 0, actionDim);
            return out;
        }
        CrossFade.blend(previous.actions()[(int) (cycle - previous.start())], a, since + 1, crossfade, out);
        return out;
    }

    /** Actions never executed because their cycle passed while the model ran. */
    public long expiredActions() {
        return expiredActions;
    }

    public long chunksAdded() {
        return chunksAdded;
    }

    /**
     * Copies of the newest chunk's rows for cycles {@code cycle} to {@code cycle + rows - 1}, as the
     * policy wrote them (steps for delta actions), fewer where the chunk ends first; none without a chunk.
     */
    double[][] upcoming(long cycle, long rows) {
        int n = (int) Math.min(rows, remaining(cycle));
        double[][] out = new double[Math.max(0, n)][];
        Chunk newest = chunks.peekLast();
        for (int i = 0; i < out.length; i++) {
            out[i] = newest.actions()[(int) (cycle - newest.start()) + i].clone();
        }
        return out;
    }

    /** Cycles from {@code cycle} still covered by the newest chunk (0 when none). */
    long remaining(long cycle) {
        return chunks.isEmpty() ? 0 : Math.max(0, chunks.peekLast().end() - cycle);
    }

    /** Cycles since the newest chunk's observation (Long.MAX_VALUE when none). */
    long age(long cycle) {
        return chunks.isEmpty() ? Long.MAX_VALUE : cycle - chunks.peekLast().start();
    }
}
