package kiban.sim.arm;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.EmbodimentRegistry;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Expert;

/** Registers {@value #NAME}: the built-in {@code ur5e} embodiment picking and placing a cube. */
public final class PickPlaceProvider implements EnvProvider {

    public static final String NAME = "ur5e-pick-place";
    /** 10 s at 20 Hz; the expert needs about 5 s. */
    public static final int MAX_STEPS = 200;

    private static final double QUARTER = Math.PI / 4;

    private final EnvSpec spec = buildSpec();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public Env create(EnvConfig config) {
        return new PickPlaceEnv(spec, config);
    }

    @Override
    public Expert expert(Env env) {
        if (!(env instanceof PickPlaceEnv arm)) {
            throw new InvalidInputException("env provider " + NAME, "env", "an env made by this provider",
                    env == null ? "null" : env.spec().name());
        }
        return new PickPlaceExpert(arm);
    }

    private static EnvSpec buildSpec() {
        EmbodimentSpec ur5e = EmbodimentRegistry.withBuiltIns().get("ur5e");
        List<FeatureSpec> observation = new ArrayList<>(ur5e.state());
        List<String> xyz = List.of("x", "y", "z");
        observation.add(new FeatureSpec("cube_pos", "m", List.of(3), xyz,
                List.of(-0.85, -0.85, 0.0), List.of(0.85, 0.85, 1.1), List.of()));
        // a cube looks the same turned by a quarter, so its yaw is reported in [-pi/4, pi/4)
        observation.add(new FeatureSpec("cube_yaw", "rad", List.of(1), List.of(),
                List.of(-QUARTER), List.of(QUARTER), List.of()));
        observation.add(new FeatureSpec("target_pos", "m", List.of(3), xyz,
                List.of(-0.85, -0.85, 0.0), List.of(0.85, 0.85, 1.1), List.of()));
        // the jaws' yaw about the vertical, from the joints as tcp_pos is: what a camera in the hand is turned by
        observation.add(new FeatureSpec("jaw_yaw", "rad", List.of(1), List.of(),
                List.of(-Math.PI), List.of(Math.PI), List.of()));
        return new EnvSpec(NAME, "UR5e picks a 4 cm cube off a table and places it in a 5 cm radius target zone",
                ur5e, observation, ur5e.cameras(), ur5e.controlHz(), MAX_STEPS, PickPlaceTasks.ALL);
    }
}
