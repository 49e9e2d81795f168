package kiban.runtime.sim;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.machine.Machine;
import kiban.core.machine.MachineReading;
import kiban.runtime.loop.Episodic;
import kiban.sim.env.Env;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Observation;
import kiban.sim.env.StepResult;

/**
 * A simulator driven like a machine: each command steps the {@link Env} once, so each cycle
 * advances simulated time by the env's nominal control period whatever the loop's wall-clock rate.
 * When an episode ends the env is reset with the next seed ({@code seed + episode}) and
 * {@link #episode()} moves on. Between commands nothing moves, so {@link #stop()} has nothing to do.
 */
public final class SimMachine implements Machine, Episodic {

    private final Env env;
    private final long seed;
    private final EnvTask task;
    private final Map<String, Double> sums = new TreeMap<>();
    private Observation observation;
    private long episode;
    private long steps;
    private int successes;
    private int completed;
    private double reward;
    private volatile boolean emergencyStop;

    public SimMachine(Env env, long seed) {
        this(env, seed, env.spec().defaultTask());
    }

    /** Every episode poses {@code task}, one of the env's. */
    public SimMachine(Env env, long seed, EnvTask task) {
        this.env = env;
        this.seed = seed;
        this.task = task;
        this.observation = env.reset(seed, task);
    }

    @Override
    public String name() {
        return env.spec().name();
    }

    @Override
    public List<FeatureSpec> observationFeatures() {
        return env.spec().observation();
    }

    @Override
    public List<FeatureSpec> actionFeatures() {
        return env.spec().action();
    }

    /** Seconds of simulated time per command: the env's control period. */
    public double commandPeriodSeconds() {
        return 1 / env.spec().controlHz();
    }

    public Env env() {
        return env;
    }

    /** The task every episode poses. */
    public EnvTask task() {
        return task;
    }

    /** The seed the env was reset with for the current episode. */
    public long episodeSeed() {
        return seed + episode;
    }

    /** The newest observation; its set point is the env's hold of its state (the command that keeps it where it is). */
    @Override
    public MachineReading read() {
        return new MachineReading(observation.state(), System.nanoTime(), true, emergencyStop, null, env.hold(), 0, "");
    }

    @Override
    public void command(double[] action) {
        StepResult r = env.step(action);
        steps++;
        reward += r.reward();
        observation = r.observation();
        if (r.done()) {
            completed++;
            successes += env.success() ? 1 : 0;
            env.episodeMetrics().forEach((k, v) -> sums.merge(k, v, Double::sum));
            episode++;
            observation = env.reset(seed + episode, task);
        }
    }

    @Override
    public void stop() {}

    /** Presses or releases the simulated e-stop input. */
    public void setEmergencyStop(boolean pressed) {
        emergencyStop = pressed;
    }

    @Override
    public long episode() {
        return episode;
    }

    /**
     * The env's episode metrics averaged over the finished episodes and the one in progress (if it
     * took a step), with {@code episodes}, {@code episodes_completed}, {@code success_rate} (of the
     * finished ones), {@code env_steps} and {@code total_reward}.
     */
    @Override
    public Map<String, Double> metrics() {
        Map<String, Double> m = new TreeMap<>(sums);
        int n = completed;
        if (env.elapsedSteps() > 0) {
            env.episodeMetrics().forEach((k, v) -> m.merge(k, v, Double::sum));
            n++;
        }
        int count = n;
        m.replaceAll((k, v) -> count == 0 ? v : v / count);
        m.put("episodes", (double) n);
        m.put("episodes_completed", (double) completed);
        m.put("success_rate", completed == 0 ? Double.NaN : successes / (double) completed);
        m.put("env_steps", (double) steps);
        m.put("total_reward", reward);
        return m;
    }

    @Override
    public void close() {
        env.close();
    }
}
