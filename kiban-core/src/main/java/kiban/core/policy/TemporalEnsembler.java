package kiban.core.policy;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * ACT's temporal ensembling: the policy is asked every step, and the action executed at step t is
 * the weighted mean of every chunk's prediction for t, with weight {@code exp(-m * i)} where
 * {@code i = 0} is the oldest prediction. Smooths chunk boundaries at the cost of one inference a step.
 * Delta rows are averaged as steps, then the current observation is added.
 *
 * <p>With an inference delay of {@code d} steps, every chunk after an episode's first lands {@code d}
 * steps after it is asked (the env goes on meanwhile), so a step averages only the chunks that have
 * landed, each from its row for that step: the Real-Time Chunking paper's setting, with one
 * inference started every step.
 */
public final class TemporalEnsembler implements ChunkExecutor {

    /** ACT's default: older predictions weigh slightly more, which keeps the motion steady. */
    public static final double DEFAULT_DECAY = 0.01;

    private final Policy policy;
    private final double decay;
    private final int delaySteps;
    private final ObservationHistory history;
    private final DeltaActions delta;
    /** Chunks still covering the current step, oldest first, with the step each was asked at and lands at. */
    private final Deque<Chunk> chunks = new ArrayDeque<>();
    private long step;

    private record Chunk(long start, long lands, double[][] actions) {}

    public TemporalEnsembler(Policy policy, double decay) {
        this(policy, decay, 0);
    }

    /** As above, every chunk after an episode's first taking {@code delaySteps} steps to infer (less than the horizon). */
    public TemporalEnsembler(Policy policy, double decay, int delaySteps) {
        if (!(decay >= 0)) {
            throw new IllegalArgumentException("decay must be non-negative, got " + decay);
        }
        int horizon = policy.metadata().horizon();
        if (delaySteps < 0 || delaySteps >= horizon) {
            throw new IllegalArgumentException("an inference delay must lie in [0, " + (horizon - 1) + "] steps (less than the "
                    + horizon + "-step horizon, so that a landed chunk still covers the step), got " + delaySteps);
        }
        this.policy = policy;
        this.decay = decay;
        this.delaySteps = delaySteps;
        this.history = new ObservationHistory(policy.metadata().observationSteps());
        this.delta = DeltaActions.of(policy.metadata());
    }

    @Override
    public void reset() {
        history.clear();
        chunks.clear();
        step = 0;
        policy.reset();
    }

    @Override
    public double[] act(PolicyObservation frame) {
        double[] observation = frame.state();
        PolicyObservation[] observations = history.push(frame);
        chunks.addLast(new Chunk(step, step == 0 ? 0 : step + delaySteps, policy.infer(observations)));
        while (chunks.getFirst().start() + chunks.getFirst().actions().length <= step) {
            chunks.removeFirst();
        }
        double[] sum = new double[chunks.getFirst().actions()[0].length];
        double total = 0;
        int i = 0;
        for (Chunk c : chunks) {
            if (c.lands() > step) {
                continue; // still being inferred; the episode's first chunk or one asked delaySteps ago covers the step
            }
            double w = Math.exp(-decay * i++);
            double[] a = c.actions()[(int) (step - c.start())];
            for (int j = 0; j < sum.length; j++) {
                sum[j] += w * a[j];
            }
            total += w;
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] /= total;
        }
        step++;
        delta.addTo(sum, observation);
        return sum;
    }
}
