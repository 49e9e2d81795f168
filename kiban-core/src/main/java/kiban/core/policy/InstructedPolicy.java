package kiban.core.policy;

/**
 * A policy given one instruction with every observation, for callers that hold only state vectors
 * (a control loop reading a machine): {@code kiban run --instruction}. The instruction the caller
 * sets on an observation of its own wins; everything else is the wrapped policy's.
 */
public final class InstructedPolicy implements Policy {

    private final Policy policy;
    private final String instruction;

    public InstructedPolicy(Policy policy, String instruction) {
        if (instruction == null || instruction.isBlank()) {
            throw new IllegalArgumentException("an instructed policy needs an instruction");
        }
        this.policy = policy;
        this.instruction = instruction;
    }

    public String instruction() {
        return instruction;
    }

    @Override
    public java.util.List<String> instructions() {
        return policy.instructions();
    }

    @Override
    public PolicyMetadata metadata() {
        return policy.metadata();
    }

    @Override
    public double[][][] inferBatch(PolicyObservation[][] histories) {
        PolicyObservation[][] out = new PolicyObservation[histories.length][];
        for (int b = 0; b < out.length; b++) {
            out[b] = instructed(histories[b]);
        }
        return policy.inferBatch(out);
    }

    @Override
    public boolean continuesChunks() {
        return policy.continuesChunks();
    }

    @Override
    public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen) {
        return policy.inferContinuing(instructed(history), frozen);
    }

    @Override
    public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen, double[][] following) {
        return policy.inferContinuing(instructed(history), frozen, following);
    }

    private PolicyObservation[] instructed(PolicyObservation[] history) {
        PolicyObservation[] out = new PolicyObservation[history.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = history[k].instruction().isEmpty() ? history[k].withInstruction(instruction) : history[k];
        }
        return out;
    }

    @Override
    public void reset() {
        policy.reset();
    }

    @Override
    public void seed(long seed) {
        policy.seed(seed);
    }

    @Override
    public void close() {
        policy.close();
    }
}
