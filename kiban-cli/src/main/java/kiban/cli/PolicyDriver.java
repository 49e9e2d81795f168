package kiban.cli;

import java.nio.file.Path;
import kiban.core.error.KibanException;
import kiban.core.policy.ChunkExecutor;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.eval.Evaluator;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Observation;

/**
 * A trained policy driving a recording ({@code kiban data record --driver}), executed as
 * {@code kiban eval} executes it by default, with its sampling noise seeded by the episode so a
 * resumed recording repeats.
 */
final class PolicyDriver implements SimRecorder.Driver {

    private final Policy policy;
    private final ChunkExecutor executor;

    private PolicyDriver(Policy policy, ChunkExecutor executor) {
        this.policy = policy;
        this.executor = executor;
    }

    /** @param dir the folder {@code policy} was loaded from */
    static PolicyDriver of(Policy policy, Path dir, EnvSpec env) {
        PolicyMetadata m = policy.metadata();
        Evaluator.checkCompatible(env, m, "driver");
        if (!m.images().isEmpty()) {
            throw new KibanException("the driver reads camera images " + m.images().stream().map(i -> i.name()).toList()
                    + "; a recording's driver must be a state-only policy");
        }
        return new PolicyDriver(policy, ChunkExecutor.of(policy, EvalCommand.defaultExecution(dir, m.type())));
    }

    @Override
    public void reset(long seed) {
        executor.reset();
        policy.seed(seed);
    }

    @Override
    public double[] act(Observation observation) {
        return executor.act(observation.state());
    }
}
