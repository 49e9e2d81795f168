package kiban.sim.env;

import java.util.List;
import kiban.core.embodiment.CameraSpec;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.FeatureSpec;

/**
 * What an env observes and accepts. The action features are the embodiment's; the observation
 * features start with the embodiment's state and may add task features (a cube's pose, nearby
 * vehicles) that the machine itself does not report.
 */
public record EnvSpec(
        String name,
        String description,
        EmbodimentSpec embodiment,
        List<FeatureSpec> observation,
        List<CameraSpec> cameras,
        double controlHz,
        int maxSteps) {

    public EnvSpec {
        observation = List.copyOf(observation);
        cameras = List.copyOf(cameras);
    }

    public List<FeatureSpec> action() {
        return embodiment.action();
    }

    public int observationDim() {
        return observation.stream().mapToInt(FeatureSpec::size).sum();
    }

    public int actionDim() {
        return embodiment.actionDim();
    }
}
