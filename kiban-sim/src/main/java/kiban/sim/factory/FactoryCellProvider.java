package kiban.sim.factory;

import java.util.List;
import kiban.core.embodiment.CameraSpec;
import kiban.core.embodiment.EmbodimentRegistry;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.Env;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvProvider;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Expert;

/** The {@code factory-cell} env: a conveyor, a buffer and a wearing machine station, one minute a step. */
public final class FactoryCellProvider implements EnvProvider {

    public static final String NAME = "factory-cell";
    /** The HMI schematic camera. */
    public static final CameraSpec HMI = new CameraSpec("hmi", 96, 96, 3);

    private static final EnvSpec SPEC = buildSpec();

    private static EnvSpec buildSpec() {
        EmbodimentSpec embodiment = EmbodimentRegistry.withBuiltIns().get(NAME);
        return new EnvSpec(NAME,
                "Conveyor feeding a machine station that wears with load; one step is one simulated minute,"
                        + " an episode five days of round-the-clock production",
                embodiment, CellObservation.features(embodiment), List.of(HMI), embodiment.controlHz(),
                CellModel.EPISODE_STEPS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public EnvSpec spec() {
        return SPEC;
    }

    @Override
    public FactoryCellEnv create(EnvConfig config) {
        return new FactoryCellEnv(SPEC, config);
    }

    /** The condition-based maintenance expert; it reads only observations, never the env's hidden wear. */
    @Override
    public Expert expert(Env env) {
        if (!(env instanceof FactoryCellEnv)) {
            throw new InvalidInputException("env provider " + NAME, "env", "a " + NAME + " env",
                    env == null ? "null" : env.spec().name());
        }
        return new ConditionBasedExpert();
    }

    /** Run-to-failure: nominal speeds, never maintains; the expert's downtime is measured against it. */
    @Override
    public java.util.Map<String, java.util.function.Function<Env, Expert>> baselines() {
        return java.util.Map.of("run-to-failure", e -> new RunToFailurePolicy());
    }
}
