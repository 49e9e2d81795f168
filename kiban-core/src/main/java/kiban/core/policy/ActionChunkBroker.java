package kiban.core.policy;

import java.util.Arrays;

/**
 * Turns a chunking policy into one action per step, as openpi's {@code ActionChunkBroker}: it
 * keeps the observation history the policy wants (repeating the first observation until there are
 * enough) and asks for a new chunk only after executing {@code actionSteps} actions of the last.
 * Rows of delta actions become commands with the observation given to the {@link #act} call that
 * executes them.
 *
 * <p>With an inference delay of {@code d} steps it plays a policy that thinks while the machine
 * moves, reproducibly (the Real-Time Chunking paper's setting): it asks for the next chunk {@code d}
 * steps before the current one's executed actions run out, with the observation of that step,
 * keeps executing the current chunk meanwhile, and starts the new chunk at its row {@code d}, the
 * first one for a step that has not yet passed. The first chunk of an episode is awaited.
 *
 * <p>Continuing chunks (real-time chunking), it asks for the early chunk with the {@code d} rows
 * of the current one that execute meanwhile frozen ({@link Policy#inferContinuing}), so the new
 * chunk's rows 0 to {@code d - 1} cover the same steps and its row {@code d} continues them. With
 * no delay it executes chunks exactly as without.
 *
 * <p>Cross-fading chunks ({@link #crossFading}), each new chunk fades in linearly from the rows the
 * chunk it replaces planned for the same steps, as {@code kiban run} blends chunks.
 */
public final class ActionChunkBroker implements ChunkExecutor {

    private final Policy policy;
    private final int actionSteps;
    private final int delaySteps;
    private final boolean continuing;
    private final GuidanceMask mask;
    private final int crossfade;
    private final ObservationHistory history;
    private final DeltaActions delta;
    private double[][] chunk;
    private int start;
    private int next;
    private double[][] arriving;
    /** The chunk being faded out (null when none), its row for the next step, and the steps faded so far. */
    private double[][] fading;
    private int fadingNext;
    private int faded;

    public ActionChunkBroker(Policy policy) {
        this(policy, policy.metadata().actionSteps());
    }

    /** A broker executing {@code actionSteps} actions of each chunk, at most the policy's horizon. */
    public ActionChunkBroker(Policy policy, int actionSteps) {
        this(policy, actionSteps, 0);
    }

    /**
     * A broker whose every chunk after the first takes {@code delaySteps} control steps to infer:
     * at most {@code actionSteps}, and {@code delaySteps + actionSteps} at most the horizon, so
     * that each chunk holds the actions it is to execute.
     */
    public ActionChunkBroker(Policy policy, int actionSteps, int delaySteps) {
        this(policy, actionSteps, delaySteps, false);
    }

    /** As above, {@code continuing} each chunk from the rows that execute while it is computed (RTC). */
    public ActionChunkBroker(Policy policy, int actionSteps, int delaySteps, boolean continuing) {
        this(policy, actionSteps, delaySteps, continuing, GuidanceMask.HARD);
    }

    /**
     * As above, a continued chunk guided by the rows of the current one that {@code mask} names:
     * the frozen ones, and with {@link GuidanceMask#SOFT} the rest of the current chunk after them.
     */
    public ActionChunkBroker(Policy policy, int actionSteps, int delaySteps, boolean continuing, GuidanceMask mask) {
        this(policy, actionSteps, delaySteps, continuing, mask, 0);
    }

    /**
     * A broker executing chunks as {@link #ActionChunkBroker(Policy, int, int)} does, each new chunk faded in
     * over {@code crossfade} steps ({@link CrossFade}) where the old chunk has a row for the step.
     */
    public static ActionChunkBroker crossFading(Policy policy, int actionSteps, int delaySteps, int crossfade) {
        if (crossfade < 0) {
            throw new IllegalArgumentException("a cross-fade must last 0 or more steps, got " + crossfade);
        }
        return new ActionChunkBroker(policy, actionSteps, delaySteps, false, GuidanceMask.HARD, crossfade);
    }

    private ActionChunkBroker(Policy policy, int actionSteps, int delaySteps, boolean continuing, GuidanceMask mask, int crossfade) {
        PolicyMetadata m = policy.metadata();
        if (continuing && !policy.continuesChunks()) {
            throw new IllegalArgumentException("--execution rtc needs a policy that samples chunks (flow or diffusion): a " + m.type()
                    + " policy cannot continue a chunk from frozen rows; use --execution chunks");
        }
        if (actionSteps < 1 || actionSteps > m.horizon()) {
            throw new IllegalArgumentException("action steps must lie in [1, " + m.horizon() + "], got " + actionSteps);
        }
        if (delaySteps < 0 || delaySteps > actionSteps || delaySteps + actionSteps > m.horizon()) {
            throw new IllegalArgumentException("an inference delay must lie in [0, " + Math.min(actionSteps, m.horizon() - actionSteps)
                    + "] steps (at most the " + actionSteps + " action steps executed, and the " + m.horizon()
                    + "-step horizon must hold the delay and the executed steps), got " + delaySteps);
        }
        this.policy = policy;
        this.history = new ObservationHistory(m.observationSteps());
        this.actionSteps = actionSteps;
        this.delaySteps = delaySteps;
        this.continuing = continuing;
        this.mask = mask;
        this.crossfade = crossfade;
        this.delta = DeltaActions.of(m);
    }

    /** Forgets the history and the chunk, and resets the policy. */
    @Override
    public void reset() {
        history.clear();
        chunk = null;
        arriving = null;
        fading = null;
        start = 0;
        next = 0;
        policy.reset();
    }

    @Override
    public double[] act(PolicyObservation frame) {
        double[] observation = frame.state();
        PolicyObservation[] observations = history.push(frame);
        if (chunk == null) {
            chunk = policy.infer(observations);
            start = 0;
            next = 0;
        } else if (next >= start + actionSteps) {
            if (crossfade > 0) {
                fading = chunk;
                fadingNext = next;
                faded = 0;
            }
            if (delaySteps == 0) {
                chunk = policy.infer(observations);
                start = 0;
            } else {
                chunk = arriving;
                arriving = null;
                start = delaySteps; // its first rows were for the steps the inference took
            }
            next = start;
        }
        // After any switch: with a delay as long as the executed actions, the next chunk is asked on a chunk's first step.
        if (delaySteps > 0 && next == start + actionSteps - delaySteps) {
            // Asked now; it lands delaySteps steps later.
            arriving = continuing ? continued(observations) : policy.infer(observations);
        }
        double[] command = chunk[next++].clone();
        if (fading != null) {
            fadeIn(command);
        }
        delta.addTo(command, observation);
        return command;
    }

    /** Blends the replaced chunk's row for this step into {@code row} (steps, for delta actions), while the fade lasts. */
    private void fadeIn(double[] row) {
        if (faded == crossfade || fadingNext == fading.length) {
            fading = null;
            return;
        }
        CrossFade.blend(fading[fadingNext++], row, ++faded, crossfade, row);
    }

    /** The next chunk, continuing the rows of this one from {@code next} (the step it is asked at). */
    private double[][] continued(PolicyObservation[] observations) {
        double[][] frozen = Arrays.copyOfRange(chunk, next, next + delaySteps);
        return mask == GuidanceMask.SOFT
                ? policy.inferContinuing(observations, frozen, Arrays.copyOfRange(chunk, next + delaySteps, chunk.length))
                : policy.inferContinuing(observations, frozen);
    }

}
