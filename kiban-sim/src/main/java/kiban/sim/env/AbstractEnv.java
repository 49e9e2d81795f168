package kiban.sim.env;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.embodiment.CameraSpec;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.sim.render.RenderVariation;

/**
 * The parts every env shares: action validation and clipping, the step limit, and the
 * randomisation that needs no physics (sensor noise, action latency, the draw of the render
 * randomisation). A subclass writes {@link #doReset}, {@link #doStep}, {@link #holdAction} and the
 * rendering, which shows the episode's {@link #renderVariation()}.
 */
public abstract class AbstractEnv implements Env {

    /** Salt so the noise stream differs from the env's own stream drawn from the same seed. */
    private static final long NOISE_SALT = 0x9E3779B97F4A7C15L;

    protected final EnvSpec spec;
    protected final EnvConfig config;
    private final double[] actionLow;
    private final double[] actionHigh;
    private final double[] observationRange;
    private final ArrayDeque<double[]> pending = new ArrayDeque<>();
    private SplittableRandom noise = new SplittableRandom(0);
    private int steps;
    private long clippedActions;
    private EnvTask task;
    private RenderVariation renderVariation = RenderVariation.NONE;

    protected AbstractEnv(EnvSpec spec, EnvConfig config) {
        this.spec = spec;
        this.config = config;
        this.task = spec.defaultTask();
        this.actionLow = spec.embodiment().actionLow();
        this.actionHigh = spec.embodiment().actionHigh();
        this.observationRange = new double[spec.observationDim()];
        int i = 0;
        for (FeatureSpec f : spec.observation()) {
            for (int k = 0; k < f.size(); k++) {
                observationRange[i++] = f.high().get(k) - f.low().get(k);
            }
        }
    }

    /** The result of one control step before the base class adds truncation and counts. */
    public record Transition(double[] state, double reward, boolean terminated, Map<String, Double> info) {}

    /**
     * Puts the env in the initial state drawn from {@code seed} for the task {@link #task()} now
     * returns, and returns the state vector.
     */
    protected abstract double[] doReset(long seed);

    /** Advances one control step with an action already validated and clipped. */
    protected abstract Transition doStep(double[] action);

    /** The action that keeps the machine where it is, as a new array; it fills the latency queue on reset. */
    protected abstract double[] holdAction();

    @Override
    public final EnvSpec spec() {
        return spec;
    }

    @Override
    public final Observation reset(long seed, EnvTask task) {
        if (!spec.tasks().contains(task)) {
            throw new IllegalArgumentException("env " + spec.name() + " does not pose " + task + "; its tasks: " + spec.tasks());
        }
        this.task = task;
        steps = 0;
        clippedActions = 0;
        noise = new SplittableRandom(seed ^ NOISE_SALT);
        renderVariation = RenderVariation.draw(config.randomization().render(), seed);
        double[] state = doReset(seed);
        pending.clear();
        for (int i = 0; i < config.randomization().actionLatencySteps(); i++) {
            pending.add(holdAction());
        }
        return observe(state);
    }

    @Override
    public final StepResult step(double[] action) {
        double[] applied = validateAndClip(action);
        if (!pending.isEmpty()) {
            pending.add(applied);
            applied = pending.poll();
        }
        Transition t = doStep(applied);
        steps++;
        boolean truncated = !t.terminated() && steps >= spec.maxSteps();
        Map<String, Double> info = new HashMap<>(t.info());
        info.put("clipped_actions", (double) clippedActions);
        return new StepResult(observe(t.state()), t.reward(), t.terminated(), truncated, info);
    }

    /** The task of the current episode, for {@link #doReset} and the step to read. */
    @Override
    public final EnvTask task() {
        return task;
    }

    @Override
    public final double[] hold() {
        return holdAction();
    }

    @Override
    public final int elapsedSteps() {
        return steps;
    }

    private double[] validateAndClip(double[] action) {
        if (action == null || action.length != actionLow.length) {
            throw new InvalidInputException("env " + spec.name(), "action",
                    actionLow.length + " numbers laid out as " + actionLayout(),
                    action == null ? "null" : action.length + " numbers");
        }
        double[] out = new double[action.length];
        for (int i = 0; i < action.length; i++) {
            double v = action[i];
            if (!Double.isFinite(v)) {
                throw new InvalidInputException("env " + spec.name(), "action[" + i + "]", "a finite number", String.valueOf(v));
            }
            if (v < actionLow[i] || v > actionHigh[i]) {
                clippedActions++;
                v = Math.max(actionLow[i], Math.min(actionHigh[i], v));
            }
            out[i] = v;
        }
        return out;
    }

    private String actionLayout() {
        StringBuilder b = new StringBuilder();
        for (FeatureSpec f : spec.action()) {
            b.append(b.isEmpty() ? "" : ", ").append(f.name()).append(f.shape());
        }
        return b.toString();
    }

    private Observation observe(double[] state) {
        double std = config.randomization().sensorNoiseStd();
        if (std > 0) {
            state = state.clone();
            for (int i = 0; i < state.length; i++) {
                state[i] += noise.nextGaussian() * std * observationRange[i];
            }
        }
        Map<String, Image> images = new LinkedHashMap<>();
        if (config.images()) {
            for (CameraSpec camera : spec.cameras()) {
                images.put(camera.name(), render(camera.name(), camera.height(), camera.width()));
            }
        }
        return new Observation(state, images);
    }

    /**
     * This episode's draw of the render randomisation, {@link RenderVariation#NONE} unless it is on;
     * drawn from the reset seed on a stream of its own, so the scene is the same either way.
     */
    protected final RenderVariation renderVariation() {
        return renderVariation;
    }

    /** {@code plain} as this episode's render randomisation shows it, for a renderer that cannot vary its own drawing. */
    protected final Image varied(Image plain) {
        return renderVariation.apply(plain);
    }

    /** A uniform draw in {@code [1 - spread, 1 + spread]}, for friction and mass randomisation. */
    protected static double scale(SplittableRandom random, double spread) {
        return spread == 0 ? 1.0 : 1.0 + spread * (2 * random.nextDouble() - 1);
    }
}
