package kiban.sim.factory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
                CellModel.EPISODE_STEPS, Arrays.stream(CellTask.values()).map(CellTask::envTask).toList());
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

    /**
     * The condition-based maintenance expert with the settings of the task posed at each reset;
     * it reads only observations and the task, never the env's hidden wear.
     */
    @Override
    public Expert expert(Env env) {
        if (!(env instanceof FactoryCellEnv)) {
            throw new InvalidInputException("env provider " + NAME, "env", "a " + NAME + " env",
                    env == null ? "null" : env.spec().name());
        }
        return new CellExpert(env);
    }

    /**
     * Run-to-failure (nominal speeds, never maintains; the expert's downtime is measured against
     * it), and each task's expert blind to the task posed ({@code task-blind-throughput},
     * {@code task-blind-machine-life}): what a policy that ignores the instruction achieves.
     */
    @Override
    public Map<String, Function<Env, Expert>> baselines() {
        return Map.of("run-to-failure", e -> new RunToFailurePolicy(),
                "task-blind-throughput", e -> ConditionBasedExpert.forTask(CellTask.FAVOUR_THROUGHPUT),
                "task-blind-machine-life", e -> ConditionBasedExpert.forTask(CellTask.FAVOUR_MACHINE_LIFE));
    }
}
