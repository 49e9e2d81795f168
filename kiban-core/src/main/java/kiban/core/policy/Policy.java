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
     * One action chunk, {@code horizon x actionDim}, per history of observations
     * ({@code observationSteps} each, oldest first): the one call every policy implements, as
     * openpi's {@code infer(obs)} is. A policy that can run the histories as one forward pass does;
     * {@link UnbatchedPolicy} is for one that answers them one at a time. A history's newest
     * observation carries the instruction and the embodiment it is answered for.
     */
    double[][][] inferBatch(PolicyObservation[][] histories);

    /** The action chunk for one history: {@link #inferBatch} with a batch of one. Not meant to be overridden. */
    default double[][] infer(PolicyObservation[] history) {
        return inferBatch(new PolicyObservation[][] {history})[0];
    }

    /**
     * The action chunk for a history of state vectors alone (no images, no instruction): a
     * convenience for callers that hold only states, as {@link #infer(PolicyObservation[])} with
     * {@link PolicyObservation#of(double[][])}. Not meant to be overridden.
     */
    default double[][] infer(double[][] observationHistory) {
        return infer(PolicyObservation.of(observationHistory));
    }

    /**
     * Whether {@link #inferContinuing} works: a sampling policy (flow, diffusion) can inpaint a chunk around
     * given rows, a regression policy cannot. Callers check this before asking.
     */
    default boolean continuesChunks() {
        return false;
    }

    /**
     * An action chunk, as {@link #infer(PolicyObservation[])} gives, whose first {@code frozen.length}
     * rows are (as near as the sampler can make them) {@code frozen}, the rest sampled to continue
     * them: real-time chunking, where {@code frozen} are the previous chunk's rows that execute while
     * this one is computed. Rows are in this policy's own output units (steps for delta actions).
     * Refused unless {@link #continuesChunks()}.
     */
    default double[][] inferContinuing(PolicyObservation[] history, double[][] frozen) {
        throw new UnsupportedOperationException("a " + metadata().type() + " policy cannot continue a chunk from frozen rows "
                + "(real-time chunking needs a sampling policy such as flow or diffusion)");
    }

    /**
     * As {@link #inferContinuing(PolicyObservation[], double[][])}, the rows after the frozen ones
     * also drawn toward {@code following}, the previous chunk's rows that come after {@code frozen}
     * (the rest of its overlap with the new chunk), with weights that fall exponentially to nothing
     * at its end: real-time chunking's soft mask ({@link GuidanceMask#SOFT}). A policy without a
     * soft mask ignores {@code following}.
     */
    default double[][] inferContinuing(PolicyObservation[] history, double[][] frozen, double[][] following) {
        return inferContinuing(history, frozen);
    }

    /**
     * The instructions this policy was trained to follow (each observation's
     * {@link PolicyObservation#instruction()}, openpi's {@code prompt}); empty for a policy that
     * ignores them. A policy that follows instructions is given any text, these are what it knows.
     */
    default java.util.List<String> instructions() {
        return java.util.List.of();
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
