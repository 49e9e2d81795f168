package kiban.core.policy;

/**
 * A control policy. Observations and actions are in physical units laid out as the
 * {@link PolicyMetadata} features; normalisation is the policy's own business.
 */
public interface Policy extends AutoCloseable {

    PolicyMetadata metadata();

    /**
     * An action chunk, {@code horizon x actionDim}, for the observation history
     * {@code observationSteps x observationDim}, oldest first.
     */
    double[][] infer(double[][] observationHistory);

    /** Forgets any state kept between calls; called at the start of every episode. */
    default void reset() {}

    @Override
    default void close() {}
}
