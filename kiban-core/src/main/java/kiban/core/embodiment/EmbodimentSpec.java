package kiban.core.embodiment;

import java.util.List;
import java.util.Optional;

/**
 * A machine as Kiban sees it: its observable state, the actions it accepts, the rate it is
 * controlled at, its cameras and its safety envelope. Instances come from {@link EmbodimentSpecs},
 * which validates every field.
 */
public record EmbodimentSpec(
        String name,
        String description,
        Domain domain,
        double controlHz,
        List<FeatureSpec> state,
        List<FeatureSpec> action,
        List<CameraSpec> cameras,
        SafetyEnvelope safety) {

    public EmbodimentSpec {
        state = List.copyOf(state);
        action = List.copyOf(action);
        cameras = List.copyOf(cameras);
    }

    public int stateDim() {
        return state.stream().mapToInt(FeatureSpec::size).sum();
    }

    public int actionDim() {
        return action.stream().mapToInt(FeatureSpec::size).sum();
    }

    public Optional<FeatureSpec> stateFeature(String featureName) {
        return state.stream().filter(f -> f.name().equals(featureName)).findFirst();
    }

    public Optional<FeatureSpec> actionFeature(String featureName) {
        return action.stream().filter(f -> f.name().equals(featureName)).findFirst();
    }

    /** Lower limits of the whole action vector, features concatenated in order. */
    public double[] actionLow() {
        return concat(action, true);
    }

    /** Upper limits of the whole action vector, features concatenated in order. */
    public double[] actionHigh() {
        return concat(action, false);
    }

    private static double[] concat(List<FeatureSpec> features, boolean low) {
        double[] out = new double[features.stream().mapToInt(FeatureSpec::size).sum()];
        int i = 0;
        for (FeatureSpec f : features) {
            for (double v : low ? f.low() : f.high()) {
                out[i++] = v;
            }
        }
        return out;
    }
}
