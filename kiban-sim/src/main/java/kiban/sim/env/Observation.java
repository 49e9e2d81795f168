package kiban.sim.env;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an env shows its policy after a reset or step: the state vector laid out as the
 * {@link EnvSpec#observation()} features, concatenated in order, and, where the env was created
 * with images on, one picture per camera of its spec, by camera name in the spec's order (else none).
 */
public record Observation(double[] state, Map<String, Image> images) {

    public Observation {
        state = state.clone();
        images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
    }

    /** An observation without pictures. */
    public static Observation of(double[] state) {
        return new Observation(state, Map.of());
    }

    @Override
    public double[] state() {
        return state.clone();
    }

    /** The first camera's picture (the one people watch), or null without pictures. */
    public Image image() {
        return images.isEmpty() ? null : images.values().iterator().next();
    }

    /** The value at {@code index} of the state vector, without a copy. */
    public double state(int index) {
        return state[index];
    }

    public int stateDim() {
        return state.length;
    }
}
