package kiban.sim.env;

/**
 * What an env shows its policy after a reset or step: the state vector laid out as the
 * {@link EnvSpec#observation()} features, concatenated in order, and an image where the env
 * was created with images on (else null).
 */
public record Observation(double[] state, Image image) {

    public Observation {
        state = state.clone();
    }

    @Override
    public double[] state() {
        return state.clone();
    }

    /** The value at {@code index} of the state vector, without a copy. */
    public double state(int index) {
        return state[index];
    }

    public int stateDim() {
        return state.length;
    }
}
