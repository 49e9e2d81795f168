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
     * An action chunk for a history of observations with their camera images, oldest first. This
     * is what executors call; a state-only policy needs nothing more than {@link #infer(double[][])},
     * to which it defaults, and a policy that reads {@link PolicyMetadata#images()} overrides it.
     */
    default double[][] infer(PolicyObservation[] history) {
        double[][] states = new double[history.length][];
        for (int i = 0; i < states.length; i++) {
            states[i] = history[i].state();
        }
        return infer(states);
    }

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

    /**
     * One action chunk per history with its camera images, as {@link #infer(PolicyObservation[])}
     * would give each. A state-only policy batches the states through {@link #inferBatch(double[][][])},
     * dropping the instructions it would ignore; a policy that reads cameras or follows
     * instructions, and can run a batch, overrides this.
     */
    default double[][][] inferBatch(PolicyObservation[][] histories) {
        if (metadata().images().isEmpty()) {
            double[][][] states = new double[histories.length][][];
            for (int b = 0; b < states.length; b++) {
                states[b] = new double[histories[b].length][];
                for (int k = 0; k < states[b].length; k++) {
                    states[b][k] = histories[b][k].state();
                }
            }
            return inferBatch(states);
        }
        double[][][] out = new double[histories.length][][];
        for (int b = 0; b < out.length; b++) {
            out[b] = infer(histories[b]);
        }
        return out;
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
