package kiban.runtime.loop;

/**
 * One inferred action chunk: row {@code i} is the action for cycle {@code start + i}, where
 * {@code start} is the cycle whose observation the policy saw.
 *
 * @param epoch  the episode it belongs to; chunks of an earlier episode are dropped
 * @param frozen how many of its first rows were given to the policy to continue (real-time
 *               chunking: the rows of the chunk it replaces for the cycles its inference took); 0 otherwise
 */
record Chunk(long start, double[][] actions, long epoch, long inferenceNanos, int frozen) {

    Chunk(long start, double[][] actions, long epoch, long inferenceNanos) {
        this(start, actions, epoch, inferenceNanos, 0);
    }

    long end() {
        return start + actions.length;
    }
}
