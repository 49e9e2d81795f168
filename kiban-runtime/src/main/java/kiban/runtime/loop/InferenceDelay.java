package kiban.runtime.loop;

/**
 * How many control cycles the next inference will take, for real-time chunking: the longest of the
 * last {@value #RECENT} measured inference times in whole periods, rounded up, at least 1. Used on
 * the control-loop thread only; recording does not allocate.
 *
 * <p>Why the recent maximum: the estimate is how many rows of the executing chunk are frozen for
 * the next one. Too short, and the new chunk arrives after its frozen rows ran out, so it starts at
 * a row the policy sampled freely (a late switch, which may jump); too long only keeps a few more
 * rows of the old plan. So it errs long, yet forgets an old outlier (a collector pause, a first
 * call) after {@value #RECENT} chunks and follows a model that slows down (a throttled GPU).
 */
final class InferenceDelay {

    static final int RECENT = 8;

    private final long periodNanos;
    private final long[] recent = new long[RECENT];
    private int next;

    InferenceDelay(long periodNanos) {
        this.periodNanos = periodNanos;
    }

    void record(long inferenceNanos) {
        recent[next] = inferenceNanos;
        next = (next + 1) % RECENT;
    }

    /**
     * The expected delay in cycles; at least 1, since this cycle's row executes from the old chunk
     * unless the new one comes back within the cycle's wait (and then it starts at row 0, frozen too).
     */
    long cycles() {
        long longest = 0;
        for (long n : recent) {
            longest = Math.max(longest, n);
        }
        return Math.max(1, (longest + periodNanos - 1) / periodNanos);
    }
}
