package kiban.core.policy;

/**
 * A policy that answers one history at a time: a client of a remote server (one request each), a
 * rule, a test double. Its batch is a loop over {@link #inferOne}; a policy that can run a batch
 * as one forward pass implements {@link Policy#inferBatch} instead.
 */
public interface UnbatchedPolicy extends Policy {

    /** The action chunk for one history, as {@link Policy#inferBatch} gives each. */
    double[][] inferOne(PolicyObservation[] history);

    @Override
    default double[][][] inferBatch(PolicyObservation[][] histories) {
        double[][][] out = new double[histories.length][][];
        for (int b = 0; b < out.length; b++) {
            out[b] = inferOne(histories[b]);
        }
        return out;
    }
}
