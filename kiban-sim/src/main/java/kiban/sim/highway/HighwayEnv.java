package kiban.sim.highway;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import kiban.sim.env.AbstractEnv;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.Image;
import kiban.sim.highway.render.TopDownRenderer;
import kiban.sim.highway.traffic.LaneController;
import kiban.sim.highway.traffic.Road;
import kiban.sim.highway.traffic.Spawner;
import kiban.sim.highway.traffic.Traffic;
import kiban.sim.highway.traffic.Vehicle;

/**
 * highway-env's highway-v0 with its ContinuousAction: the ego is a kinematic bicycle driven by
 * acceleration and steering in physical units, among 50 IDM/MOBIL vehicles. Each control step
 * (5 Hz, the vehicle embodiment's rate) holds the action for {@link #SUBSTEPS} simulation steps
 * at highway-env's 15 Hz. The task posed at reset ({@link HighwayTasks}) sets the reward, success
 * and metrics, never the scene or the motion. See the package documentation for the modelling
 * choices.
 */
public final class HighwayEnv extends AbstractEnv {

    public static final double SIMULATION_HZ = 15.0;
    public static final int SUBSTEPS = 3;
    public static final int VEHICLES_COUNT = 50;
    public static final double EGO_SPEED = 25.0;
    public static final double EGO_SPACING = 2.0;
    public static final double VEHICLES_DENSITY = 1.0;
    public static final double COLLISION_REWARD = -1;
    public static final double RIGHT_LANE_REWARD = 0.1;
    public static final double HIGH_SPEED_REWARD = 0.4;
    public static final double REWARD_SPEED_LOW = 20;
    public static final double REWARD_SPEED_HIGH = 30;
    /** A lane task's weights: highway-v0's two, swapped, so holding the lane counts most. */
    public static final double LANE_TASK_LANE_REWARD = 0.4;
    public static final double LANE_TASK_SPEED_REWARD = 0.1;

    private final Road road = Road.HIGHWAY;
    private Traffic traffic = new Traffic(road);
    private Vehicle ego;
    /** Scales the ego's commanded acceleration: grip (friction) over mass, drawn per episode. */
    private double accelerationGain = 1.0;
    private int previousLane;
    private int laneChanges;
    private int offroadSteps;
    private int steps;
    private double speedSum;
    private boolean everCrashed;
    /** The lane the task asks for, or -1. */
    private int taskLane = -1;
    private int stepsInTaskLane;

    public HighwayEnv(EnvConfig config) {
        super(HighwaySpecs.spec(), config);
        doReset(0);
    }

    @Override
    protected double[] doReset(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        traffic = new Traffic(road);
        Spawner spawner = new Spawner(traffic, random);
        ego = spawner.ego(EGO_SPEED, EGO_SPACING);
        for (int i = 0; i < VEHICLES_COUNT; i++) {
            spawner.idm(1 / VEHICLES_DENSITY);
        }
        // Drawn after the traffic, so randomisation settings never change the traffic of a seed.
        SplittableRandom dr = random.split();
        double friction = scale(dr, config.randomization().frictionSpread());
        double mass = scale(dr, config.randomization().massSpread());
        accelerationGain = friction / mass;
        previousLane = ego.lane();
        laneChanges = 0;
        offroadSteps = 0;
        steps = 0;
        speedSum = 0;
        everCrashed = false;
        // Read from the task, not drawn: every task starts from the same scene.
        taskLane = HighwayTasks.lane(task(), road);
        stepsInTaskLane = 0;
        return state();
    }

    @Override
    protected Transition doStep(double[] action) {
        ego.act(action[0] * accelerationGain, action[1]);
        double dt = 1 / SIMULATION_HZ;
        for (int k = 0; k < SUBSTEPS; k++) {
            traffic.act();
            traffic.step(dt);
        }
        if (ego.lane() != previousLane) {
            laneChanges++;
            previousLane = ego.lane();
        }
        boolean onRoad = onRoad();
        steps++;
        speedSum += ego.speed();
        everCrashed |= ego.crashed();
        if (!onRoad) {
            offroadSteps++;
        }
        if (ego.lane() == taskLane) {
            stepsInTaskLane++;
        }
        Map<String, Double> info = new TreeMap<>();
        info.put("speed", ego.speed());
        info.put("crashed", ego.crashed() ? 1.0 : 0.0);
        info.put("on_road", onRoad ? 1.0 : 0.0);
        info.put("lane_changes", (double) laneChanges);
        info.put("lane", (double) ego.lane());
        return new Transition(state(), reward(), ego.crashed(), info);
    }

    /**
     * The task's reward; for {@code drive-fast}, highway-env's: -1 on collision, 0.1 x (lane index / 3) for the right lane and 0.4 x
     * forward speed mapped from [20, 30] m/s to [0, 1], normalised from [-1, 0.5] to [0, 1] and
     * zeroed off-road.
     */
    double reward() {
        if (taskLane >= 0) {
            return laneTaskReward();
        }
        double collision = ego.crashed() ? 1 : 0;
        double rightLane = ego.lane() / (double) Math.max(road.lanes() - 1, 1);
        double forward = ego.speed() * Math.cos(ego.heading());
        double highSpeed = Math.max(0, Math.min(1, (forward - REWARD_SPEED_LOW) / (REWARD_SPEED_HIGH - REWARD_SPEED_LOW)));
        double r = COLLISION_REWARD * collision + RIGHT_LANE_REWARD * rightLane + HIGH_SPEED_REWARD * highSpeed;
        r = (r - COLLISION_REWARD) / (HIGH_SPEED_REWARD + RIGHT_LANE_REWARD - COLLISION_REWARD);
        return onRoad() ? r : 0.0;
    }

    /**
     * A lane task's reward, shaped as highway-v0's: -1 on collision, 0.4 x closeness to the task's
     * lane (1 in it, falling by 1/3 a lane) and 0.1 x forward speed over the 30 m/s speed limit
     * (any speed counts, so stopping in the lane earns less), normalised from [-1, 0.5] to [0, 1]
     * and zeroed off-road.
     */
    private double laneTaskReward() {
        double collision = ego.crashed() ? 1 : 0;
        double lane = 1 - Math.abs(ego.lane() - taskLane) / (double) Math.max(road.lanes() - 1, 1);
        double speed = Math.max(0, Math.min(1, ego.speed() * Math.cos(ego.heading()) / road.speedLimit()));
        double r = COLLISION_REWARD * collision + LANE_TASK_LANE_REWARD * lane + LANE_TASK_SPEED_REWARD * speed;
        r = (r - COLLISION_REWARD) / (LANE_TASK_LANE_REWARD + LANE_TASK_SPEED_REWARD - COLLISION_REWARD);
        return onRoad() ? r : 0.0;
    }

    private boolean onRoad() {
        return road.onRoad(ego.x(), ego.y());
    }

    private double[] state() {
        double[] s = new double[spec.observationDim()];
        s[0] = ego.x();
        s[1] = ego.y();
        s[2] = LaneController.wrapToPi(ego.heading());
        s[3] = ego.speed();
        NearbyVehicles.write(traffic.vehicles(), ego, s, 4);
        int lane = ego.lane();
        int laneAt = 4 + HighwaySpecs.OBSERVED_VEHICLES * HighwaySpecs.COLUMNS.size();
        s[laneAt] = lane;
        s[laneAt + 1] = Math.max(-HighwaySpecs.MAX_LANE_OFFSET,
                Math.min(HighwaySpecs.MAX_LANE_OFFSET, road.lateral(lane, ego.y())));
        LaneTraffic.write(traffic.vehicles(), ego, road, s, laneAt + 2);
        return s;
    }

    @Override
    protected double[] holdAction() {
        // Keep speed and go straight.
        return new double[] {0.0, 0.0};
    }

    @Override
    public Image render(int height, int width) {
        return varied(TopDownRenderer.render(traffic, ego, height, width));
    }

    @Override
    public Map<String, Double> episodeMetrics() {
        Map<String, Double> m = new TreeMap<>();
        m.put("collision_rate", everCrashed ? 1.0 : 0.0);
        m.put("mean_speed", steps == 0 ? 0.0 : speedSum / steps);
        m.put("offroad_rate", steps == 0 ? 0.0 : offroadSteps / (double) steps);
        m.put("lane_changes", (double) laneChanges);
        if (taskLane >= 0) {
            m.put("in_lane_rate", laneShare());
        }
        return m;
    }

    /**
     * Drove the whole duration without a collision and ended on the road; in a lane task also spent
     * {@link HighwayTasks#MIN_LANE_SHARE} of the steps in the lane at a mean speed of
     * {@link HighwayTasks#MIN_MEAN_SPEED} or more.
     */
    @Override
    public boolean success() {
        boolean drove = steps >= spec.maxSteps() && !everCrashed && onRoad();
        if (taskLane < 0) {
            return drove;
        }
        return drove && laneShare() >= HighwayTasks.MIN_LANE_SHARE && speedSum / steps >= HighwayTasks.MIN_MEAN_SPEED;
    }

    /** Share of the control steps so far that ended in the task's lane. */
    private double laneShare() {
        return steps == 0 ? 0.0 : stepsInTaskLane / (double) steps;
    }

    /** The simulated road and vehicles; privileged state for experts and tests. */
    public Traffic traffic() {
        return traffic;
    }

    /** The controlled vehicle. */
    public Vehicle ego() {
        return ego;
    }
}
