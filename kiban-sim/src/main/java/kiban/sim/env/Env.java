package kiban.sim.env;

import java.util.List;
import java.util.Map;
import kiban.core.embodiment.CameraSpec;
import kiban.core.error.InvalidInputException;

/**
 * A simulated task, Gymnasium-style. The same seed gives the same trajectory bit for bit: all
 * randomness of an episode is drawn from the seed given to {@link #reset}. Not thread-safe; a
 * {@link VectorEnv} steps many copies in parallel.
 */
public interface Env extends AutoCloseable {

    EnvSpec spec();

    /** Starts an episode of the spec's first task from the initial state drawn from {@code seed}. */
    default Observation reset(long seed) {
        return reset(seed, spec().defaultTask());
    }

    /**
     * Starts an episode of {@code task}, one of {@link EnvSpec#tasks()}, from the initial state
     * drawn from {@code seed}: the same seed gives the same scene whatever the task.
     */
    Observation reset(long seed, EnvTask task);

    /** The task of the current episode. */
    EnvTask task();

    /**
     * Applies one action laid out as {@link EnvSpec#action()}. An action of the wrong length or
     * with a non-finite element is refused with an {@link kiban.core.error.InvalidInputException};
     * elements outside the spec's limits are clipped to them and counted in
     * {@code info.clipped_actions}.
     */
    StepResult step(double[] action);

    /**
     * The action that keeps the machine where it is now, laid out as {@link EnvSpec#action()}: a
     * position-controlled machine's current position, a speed-controlled one's current speeds; null
     * when the env cannot say. A runtime driving the env starts its rate limits from it.
     */
    default double[] hold() {
        return null;
    }

    /** An off-screen RGB picture of the current state from the spec's first camera, for people and videos. */
    Image render(int height, int width);

    /**
     * The picture of {@code camera}, one of {@link EnvSpec#cameras()}, at {@code height x width}. An
     * env with one camera needs nothing more; one with more overrides this.
     */
    default Image render(String camera, int height, int width) {
        List<CameraSpec> cameras = spec().cameras();
        if (cameras.isEmpty() || !cameras.getFirst().name().equals(camera)) {
            throw new InvalidInputException("env " + spec().name(), "camera", "one of "
                    + cameras.stream().map(CameraSpec::name).toList(), camera);
        }
        return render(height, width);
    }

    /**
     * The figures of the episode so far, each named as the run-level metric it is averaged into
     * (for example {@code mean_coverage}, {@code collision_rate}, {@code throughput}).
     */
    Map<String, Double> episodeMetrics();

    /** Whether the episode so far counts as a success. */
    boolean success();

    /** Steps taken since the last reset. */
    int elapsedSteps();

    @Override
    default void close() {}
}
