package kiban.cli;

import java.nio.file.Path;
import java.util.List;
import kiban.core.policy.ChunkExecutor;
import kiban.core.policy.Policy;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyMetadata;
import kiban.eval.Evaluator;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Observation;

/**
 * A trained policy driving a recording ({@code kiban data record --driver}, {@code kiban dagger}),
 * executed as {@code kiban eval} executes it by default, with its sampling noise seeded by the
 * episode so a resumed recording repeats. A policy that reads the env's camera is given the
 * rendered frame with each state, as {@code kiban eval} gives it; the recording must then render
 * (record video).
 */
final class PolicyDriver implements SimRecorder.Driver {

    private final Policy policy;
    private final ChunkExecutor executor;
    private final boolean instructed;
    private final List<ImageSpec> images;
    private String instruction = "";

    private PolicyDriver(Policy policy, ChunkExecutor executor, boolean instructed, List<ImageSpec> images) {
        this.policy = policy;
        this.executor = executor;
        this.instructed = instructed;
        this.images = images;
    }

    /** @param dir the folder {@code policy} was loaded from */
    static PolicyDriver of(Policy policy, Path dir, EnvSpec env) {
        PolicyMetadata m = policy.metadata();
        Evaluator.checkCompatible(env, m, "driver");
        Evaluator.checkCamera(env, m.images());
        // Where the env poses several tasks the driver is told each episode's, as kiban eval tells a policy.
        return new PolicyDriver(policy, ChunkExecutor.of(policy, EvalCommand.defaultExecution(dir, m.type())),
                env.instructs(), m.images());
    }

    /** Whether the driver reads camera frames, so that the env must render them. */
    boolean readsImages() {
        return !images.isEmpty();
    }

    @Override
    public void reset(long seed, EnvTask task) {
        executor.reset();
        policy.seed(seed);
        instruction = instructed ? task.instruction() : "";
    }

    @Override
    public double[] act(Observation observation) {
        if (!instructed && images.isEmpty()) {
            return executor.act(observation.state());
        }
        return executor.act(Evaluator.observe(observation, images, instruction));
    }
}
