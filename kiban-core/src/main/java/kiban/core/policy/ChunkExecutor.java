package kiban.core.policy;

/** Turns a chunking policy into one action per control step. */
public sealed interface ChunkExecutor permits ActionChunkBroker, TemporalEnsembler {

    /** Steps over which a new chunk fades in from the one it replaces ({@link Mode#CROSSFADE}, and {@code kiban run}'s chunks). */
    int DEFAULT_CROSSFADE = 3;

    /** Starts an episode. */
    void reset();

    /** The action for this step, given the newest observation (a state without images). */
    default double[] act(double[] observation) {
        return act(PolicyObservation.of(observation));
    }

    /** The action for this step, given the newest observation with its camera images. */
    double[] act(PolicyObservation observation);

    /** How chunks are executed, by name on the command line. */
    enum Mode {
        /** Execute the policy's {@code action_steps} of each chunk, then ask again (Diffusion Policy). */
        CHUNKS("chunks"),
        /** As {@link #CHUNKS}, each new chunk faded in from the one it replaces over {@link #DEFAULT_CROSSFADE} steps. */
        CROSSFADE("crossfade"),
        /** Ask every step and average overlapping predictions (ACT's temporal ensembling). */
        ENSEMBLE("ensemble"),
        /**
         * As {@link #CHUNKS}, but each chunk asked during an inference delay is sampled with the
         * previous chunk's rows for the delay frozen (real-time chunking; policies that
         * {@link Policy#continuesChunks() continue chunks} only).
         */
        RTC("rtc");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Mode parse(String name) {
            for (Mode m : values()) {
                if (m.wireName.equals(name)) {
                    return m;
                }
            }
            throw new kiban.core.error.InvalidInputException("--execution", "", "chunks, crossfade, ensemble or rtc", "'" + name + "'");
        }
    }

    static ChunkExecutor of(Policy policy, Mode mode) {
        return of(policy, mode, policy.metadata().actionSteps());
    }

    /** As above, executing {@code actionSteps} of each chunk in {@link Mode#CHUNKS} (ensembling executes one). */
    static ChunkExecutor of(Policy policy, Mode mode, int actionSteps) {
        return of(policy, mode, actionSteps, 0);
    }

    /**
     * As above, with every chunk after the first taking {@code delaySteps} control steps to infer
     * ({@link ActionChunkBroker}, {@link TemporalEnsembler}). Refuses
     * {@link Mode#RTC} for a policy that cannot {@link Policy#continuesChunks() continue chunks}.
     */
    static ChunkExecutor of(Policy policy, Mode mode, int actionSteps, int delaySteps) {
        return of(policy, mode, actionSteps, delaySteps, GuidanceMask.HARD);
    }

    /** As above, {@link Mode#RTC} guiding each chunk with the previous one's rows that {@code mask} names. */
    static ChunkExecutor of(Policy policy, Mode mode, int actionSteps, int delaySteps, GuidanceMask mask) {
        return switch (mode) {
            case CHUNKS -> new ActionChunkBroker(policy, actionSteps, delaySteps);
            case CROSSFADE -> ActionChunkBroker.crossFading(policy, actionSteps, delaySteps, DEFAULT_CROSSFADE);
            case RTC -> new ActionChunkBroker(policy, actionSteps, delaySteps, true, mask);
            case ENSEMBLE -> new TemporalEnsembler(policy, TemporalEnsembler.DEFAULT_DECAY, delaySteps);
        };
    }
}
