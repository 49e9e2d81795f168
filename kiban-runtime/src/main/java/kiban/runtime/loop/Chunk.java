package kiban.runtime.loop;

/**
 * One inferred action chunk: row {@code i} is the action for cycle {@code start + i}, where
 * {@code start} is the cycle whose observation the policy saw.
 *
 * @param epoch the episode it belongs to; chunks of an earlier episode are dropped
 */
record Chunk(long start, double[][] actions, long epoch, long inferenceNanos) {

    long end() {
        return start + actions.length;
    }
}
