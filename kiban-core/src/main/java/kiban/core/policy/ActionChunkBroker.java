package kiban.core.policy;

/**
 * Turns a chunking policy into one action per step, as openpi's {@code ActionChunkBroker}: it
 * keeps the observation history the policy wants (repeating the first observation until there are
 * enough) and asks for a new chunk only after executing {@code actionSteps} actions of the last.
 * Rows of delta actions become commands with the observation given to the {@link #act} call that
 * executes them.
 */
public final class ActionChunkBroker implements ChunkExecutor {

    private final Policy policy;
    private final int actionSteps;
    private final ObservationHistory history;
    private final DeltaActions delta;
    private double[][] chunk;
    private int next;

    public ActionChunkBroker(Policy policy) {
        this(policy, policy.metadata().actionSteps());
    }

    /** A broker executing {@code actionSteps} actions of each chunk, at most the policy's horizon. */
    public ActionChunkBroker(Policy policy, int actionSteps) {
        PolicyMetadata m = policy.metadata();
        if (actionSteps < 1 || actionSteps > m.horizon()) {
            throw new IllegalArgumentException("action steps must lie in [1, " + m.horizon() + "], got " + actionSteps);
        }
        this.policy = policy;
        this.history = new ObservationHistory(m.observationSteps());
        this.actionSteps = actionSteps;
        this.delta = DeltaActions.of(m);
    }

    /** Forgets the history and the chunk, and resets the policy. */
    @Override
    public void reset() {
        history.clear();
        chunk = null;
        next = 0;
        policy.reset();
    }

    @Override
    public double[] act(double[] observation) {
        return act(PolicyObservation.of(observation));
    }

    @Override
    public double[] act(PolicyObservation frame) {
        double[] observation = frame.state();
        PolicyObservation[] observations = history.push(frame);
        if (chunk == null || next >= actionSteps) {
            chunk = policy.infer(observations);
            next = 0;
        }
        double[] command = chunk[next++].clone();
        delta.addTo(command, observation);
        return command;
    }

}
