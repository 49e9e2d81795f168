package kiban.sim.pusht;

import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.embodiment.EmbodimentRegistry;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.error.InvalidInputException;
import kiban.sim.env.AbstractEnv;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.EnvTask;
import kiban.sim.env.Image;
import kiban.sim.render.RenderVariation;

/**
 * The Diffusion Policy PushT task on dyn4j: push the T block onto a goal pose with a disk that
 * follows the commanded target position. The task chosen at reset names the goal
 * ({@link PushTGoal}); the first is gym-pusht's. See the package documentation for fidelity notes.
 */
public final class PushTEnv extends AbstractEnv {

    public static final String NAME = "pusht";
    /** gym-pusht's TimeLimit and the Diffusion Policy runners' max_steps. */
    public static final int MAX_STEPS = 300;

    private final PushTSim sim = new PushTSim();
    private final PushTRenderer renderer = new PushTRenderer();
    private PushTGoal goal = PushTGoal.CENTRE;
    private double coverage;
    private double maxCoverage;
    private double maxReward;
    private boolean succeeded;

    public PushTEnv(EnvConfig config) {
        super(envSpec(), config);
    }

    /** The env spec: the built-in {@code pusht} embodiment's state, action and camera. */
    public static EnvSpec envSpec() {
        return SpecHolder.SPEC;
    }

    /** Parsed once, on first use: every env of a vector shares it. */
    private static final class SpecHolder {
        private static final EnvSpec SPEC = build();

        private static EnvSpec build() {
            EmbodimentSpec e = EmbodimentRegistry.withBuiltIns().get(NAME);
            return new EnvSpec(NAME, "Push the T block onto the goal pose (Diffusion Policy PushT, gym-pusht)",
                    e, e.state(), e.cameras(), e.controlHz(), MAX_STEPS, PushTGoal.tasks());
        }
    }

    @Override
    protected double[] doReset(long seed) {
        goal = PushTGoal.of(task());
        SplittableRandom random = new SplittableRandom(seed);
        InitialState init = InitialState.draw(random);
        // Randomisation comes after the start draws, so turning it on keeps the same starts.
        // gym-pusht's friction is 0, which no scale changes: the spread is the coefficient's range.
        double friction = config.randomization().frictionSpread() * random.nextDouble();
        double massScale = scale(random, config.randomization().massSpread());
        sim.setBlock(massScale, friction);
        sim.setLegacy(init.agentX(), init.agentY(), init.blockX(), init.blockY(), init.blockAngle());
        renderer.vary(renderVariation());
        startEpisode();
        return stateVector();
    }

    /**
     * Starts an episode of the default task from an explicit state, like gym-pusht's
     * {@code options["reset_to_state"]} (legacy placement followed by one physics step). Randomisation is
     * switched off for the episode. Returns the state vector without sensor noise or image.
     */
    public double[] resetToState(double agentX, double agentY, double blockX, double blockY, double angle) {
        return resetToState(spec.defaultTask(), agentX, agentY, blockX, blockY, angle);
    }

    /** As {@link #resetToState(double, double, double, double, double)}, for an episode of {@code task}. */
    public double[] resetToState(EnvTask task, double agentX, double agentY, double blockX, double blockY,
            double angle) {
        double[] values = {agentX, agentY, blockX, blockY, angle};
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new InvalidInputException("env " + NAME, "reset_to_state[" + i + "]", "a finite number",
                        String.valueOf(values[i]));
            }
        }
        reset(0, task);
        sim.setBlock(1, PushTSim.BLOCK_FRICTION);
        renderer.vary(RenderVariation.NONE);
        sim.setLegacy(agentX, agentY, blockX, blockY, angle);
        startEpisode();
        return stateVector();
    }

    private void startEpisode() {
        coverage = sim.coverage(goal);
        maxCoverage = 0;
        maxReward = 0;
        succeeded = false;
    }

    @Override
    protected Transition doStep(double[] action) {
        sim.step(action[0], action[1]);
        coverage = sim.coverage(goal);
        double reward = PushTGeometry.reward(coverage);
        boolean success = coverage > PushTGeometry.SUCCESS_THRESHOLD;
        maxCoverage = Math.max(maxCoverage, coverage);
        maxReward = Math.max(maxReward, reward);
        succeeded |= success;
        return new Transition(stateVector(), reward, success,
                Map.of("coverage", coverage, "is_success", success ? 1.0 : 0.0));
    }

    @Override
    protected double[] holdAction() {
        return new double[] {sim.agentX(), sim.agentY()};
    }

    private double[] stateVector() {
        return new double[] {sim.agentX(), sim.agentY(), sim.blockX(), sim.blockY(), sim.blockAngle()};
    }

    /** The picture as this episode's render randomisation shows it (the plain one unless it is on). */
    @Override
    public Image render(int height, int width) {
        return renderer.render(sim, goal, height, width);
    }

    /**
     * {@code mean_coverage}: the highest coverage reached in the episode (Diffusion Policy's
     * per-episode score before clipping); {@code max_reward}: the highest reward.
     */
    @Override
    public Map<String, Double> episodeMetrics() {
        return Map.of("mean_coverage", maxCoverage, "max_reward", maxReward, "success", succeeded ? 1.0 : 0.0);
    }

    @Override
    public boolean success() {
        return succeeded;
    }

    /** Coverage of the episode's goal by the block now. */
    public double coverage() {
        return coverage;
    }

    /** The goal of the episode's task. */
    public PushTGoal goal() {
        return goal;
    }

    /** The live simulator, for experts that plan on a copy of its state. */
    public PushTSim sim() {
        return sim;
    }
}
