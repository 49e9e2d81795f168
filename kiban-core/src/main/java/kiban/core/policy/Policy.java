package kiban.core.policy;

/**
 * A control policy. Observations and actions are in physical units laid out as the
 * {@link PolicyMetadata} features; normalisation is the policy's own business. Rows are steps,
 * not commands, for the action features {@link PolicyMetadata#deltaActions()} lists: the executor
 * adds the observation measured when it executes the row ({@link DeltaActions}).
 */
public interface Policy extends AutoCloseable {

    PolicyMetadata metadata();

    /**
     * An action chunk, {@code horizon x actionDim}, for the observation history
     * {@code observationSteps x observationDim}, oldest first.
     */
    double[][] infer(double[][] observationHistory);

    /**
     * One action chunk per history, as {@link #infer} would give each; a policy that can run them
     * as one forward pass (a batch) overrides this, and a server batching clients relies on it.
     */
    default double[][][] inferBatch(double[][][] observationHistories) {
        double[][][] out = new double[observationHistories.length][][];
        for (int i = 0; i < out.length; i++) {
            out[i] = infer(observationHistories[i]);
        }
        return out;
    }

    /** Forgets any state kept between calls; called at the start of every episode. */
    default void reset() {}

    /**
     * Starts the policy's own randomness (the noise a sampling head such as flow or diffusion draws)
     * from {@code seed}, so that an evaluation of the same episodes repeats exactly. Policies without
     * randomness ignore it.
     */
    default void seed(long seed) {}

    @Override
    default void close() {}
}
