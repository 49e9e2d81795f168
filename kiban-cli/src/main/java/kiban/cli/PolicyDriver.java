package kiban.cli;

import java.nio.file.Path;
import java.util.Map;
import kiban.core.error.KibanException;
import kiban.core.policy.ChunkExecutor;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.eval.Evaluator;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Observation;

/**
 * A trained policy driving a recording ({@code kiban data record --driver}), executed as
 * {@code kiban eval} executes it by default, with its sampling noise seeded by the episode so a
 * resumed recording repeats.
 */
final class PolicyDriver implements SimRecorder.Driver {

    private final Policy policy;
    private final ChunkExecutor executor;
    private final boolean instructed;
    private String instruction = "";

    private PolicyDriver(Policy policy, ChunkExecutor executor, boolean instructed) {
        this.policy = policy;
        this.executor = executor;
        this.instructed = instructed;
    }

    /** @param dir the folder {@code policy} was loaded from */
    static PolicyDriver of(Policy policy, Path dir, EnvSpec env) {
        PolicyMetadata m = policy.metadata();
        Evaluator.checkCompatible(env, m, "driver");
        if (!m.images().isEmpty()) {
            throw new KibanException("the driver reads camera images " + m.images().stream().map(i -> i.name()).toList()
                    + "; a recording's driver must be a state-only policy");
        }
        // Where the env poses several tasks the driver is told each episode's, as kiban eval tells a policy.
        return new PolicyDriver(policy, ChunkExecutor.of(policy, EvalCommand.defaultExecution(dir, m.type())),
                env.instructs());
    }

    @Override
    public void reset(long seed, EnvTask task) {
        executor.reset();
        policy.seed(seed);
        instruction = instructed ? task.instruction() : "";
    }

    @Override
    public double[] act(Observation observation) {
        return instructed ? executor.act(new PolicyObservation(observation.state(), Map.of(), instruction))
                : executor.act(observation.state());
    }
}
