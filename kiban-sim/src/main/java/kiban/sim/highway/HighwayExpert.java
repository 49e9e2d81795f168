package kiban.sim.highway;

import kiban.sim.env.EnvTask;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;
import kiban.sim.highway.traffic.Road;
import kiban.sim.highway.traffic.Traffic;
import kiban.sim.highway.traffic.Vehicle;

/**
 * A scripted driver for {@link HighwayEnv} reading the simulator's state: IDM car following
 * towards {@link #TARGET_SPEED} behind the nearest vehicle occupying (or heading into) its lanes,
 * MOBIL-like lane changes gated by gap, time-to-collision and imposed-braking checks, and a
 * cascaded lateral-position / heading controller turned into a steering angle through the
 * bicycle model.
 *
 * <p>On a lane task ({@link HighwayTasks#lane}) it heads for that lane one lane at a time as soon
 * as each move is safe, dropping back behind a vehicle that blocks the next lane, and then follows
 * its leader there without changing lanes again.
 */
public final class HighwayExpert implements Expert {

    public static final double TARGET_SPEED = 30.0;
    // Car following (bumper-to-bumper gaps).
    static final double MIN_GAP = 3.0;
    static final double TIME_GAP = 0.6;
    static final double ACC = 4.0;
    static final double PLAN_BRAKE = 2.5;
    static final double COMFORT_BRAKE = 3.0;
    static final double MAX_BRAKE = 5.0;
    static final double SPEED_TAU = 0.6;
    static final double CLOSE_TAU = 2.0;
    // Lane changes, judged by the speed a lane allows with a gentle look-ahead braking.
    static final double LOOKAHEAD_BRAKE = 0.3;
    static final double GAIN_LEFT = 0.5;
    static final double GAIN_RIGHT = 0.0;
    static final double SAFE_REAR_BRAKING = 2.0;
    static final double REAR_TIME_GAP = 0.1;
    static final double MIN_TTC = 2.0;
    static final double COOLDOWN_S = 1.0;
    static final double PUSH_GAIN = 3.0;
    static final double PUSH_TIME_GAP = 0.25;
    static final double PUSH_RANGE = 25.0;
    static final double BLOCK_RANGE = 15.0;
    static final double BEYOND_COST = 1.0;
    static final double BEYOND_LOSS = 1.0;
    // Lateral control.
    static final double TAU_LATERAL = 1.0;
    static final double MAX_LATERAL_SPEED = 2.5;
    static final double TAU_HEADING = 0.5;

    private final HighwayEnv env;
    /** The task driven whatever the env poses, or null to drive the env's task. */
    private final EnvTask fixedTask;
    private int targetLane = -1;
    /** Closing up on our leader to get past a vehicle that blocks a better lane. */
    private boolean pushing;
    private double cooldown;

    public HighwayExpert(HighwayEnv env) {
        this(env, null);
    }

    /**
     * An expert that drives {@code task} whatever task the env poses: a policy blind to the
     * instruction, for measuring what the instruction is worth.
     */
    public HighwayExpert(HighwayEnv env, EnvTask task) {
        this.env = env;
        this.fixedTask = task;
    }

    @Override
    public void reset(long seed) {
        targetLane = -1;
        cooldown = 0;
    }

    @Override
    public double[] act(Observation observation) {
        Traffic traffic = env.traffic();
        Vehicle ego = env.ego();
        Road road = traffic.road();
        double dt = 1 / env.spec().controlHz();
        if (targetLane < 0) {
            targetLane = ego.lane();
        }
        cooldown = Math.max(0, cooldown - dt);
        boolean settled = ego.lane() == targetLane && Math.abs(road.lateral(targetLane, ego.y())) < 0.3;
        if (!settled && !safe(traffic, ego, targetLane)) {
            // Abort: go back to the lane we are (mostly) in, if that is not the one we headed for.
            if (ego.lane() != targetLane) {
                targetLane = ego.lane();
                cooldown = COOLDOWN_S;
            }
        }
        pushing = false;
        int taskLane = HighwayTasks.lane(fixedTask != null ? fixedTask : env.task(), road);
        int waitingFor = -1;
        if (taskLane >= 0) {
            waitingFor = approach(traffic, ego, taskLane);
        } else if (settled && cooldown == 0) {
            chooseLane(traffic, ego, road);
        }
        double timeGap = pushing ? PUSH_TIME_GAP : TIME_GAP;
        double speed = laneSpeed(traffic, ego, targetLane, timeGap, PLAN_BRAKE, 0);
        if (ego.lane() != targetLane) {
            speed = Math.min(speed, laneSpeed(traffic, ego, ego.lane(), timeGap, PLAN_BRAKE, 0));
        }
        if (waitingFor >= 0) {
            // Fall in behind whatever is beside us in the lane we wait for.
            speed = Math.min(speed, laneSpeed(traffic, ego, waitingFor, TIME_GAP, PLAN_BRAKE, -(Vehicle.LENGTH + MIN_GAP)));
        }
        for (int lane = targetLane; taskLane >= 0 && lane != taskLane; ) {
            // Match the traffic of the lanes still to cross, so as not to overshoot the gaps there.
            lane += Integer.signum(taskLane - lane);
            speed = Math.min(speed, laneSpeed(traffic, ego, lane, TIME_GAP, PLAN_BRAKE, 0));
        }
        double acc = (speed - ego.speed()) / SPEED_TAU;
        return new double[] {clip(acc, -MAX_BRAKE, ACC), steering(ego, road)};
    }

    /**
     * MOBIL-like: move to the side lane whose traffic lets us drive fastest (looking one lane
     * further too), if the gain is worth it and the move is safe. A much better lane blocked only by
     * vehicles beside or behind us makes us close up on our own leader ({@link #pushing}) to get
     * past them. (Falling back to let a blocker slightly ahead go was tried and lowered the mean
     * speed, so the expert does not.)
     */
    private void chooseLane(Traffic traffic, Vehicle ego, Road road) {
        double here = laneSpeed(traffic, ego, ego.lane(), TIME_GAP, LOOKAHEAD_BRAKE, 0);
        int best = ego.lane();
        double bestGain = 0;
        for (int dir : new int[] {1, -1}) {
            int side = ego.lane() + dir;
            if (side < 0 || side >= road.lanes()) {
                continue;
            }
            double near = laneSpeed(traffic, ego, side, TIME_GAP, LOOKAHEAD_BRAKE, 0);
            double gain = near - here;
            int beyond = side + dir;
            if (beyond >= 0 && beyond < road.lanes() && near >= here - BEYOND_LOSS) {
                gain = Math.max(gain, laneSpeed(traffic, ego, beyond, TIME_GAP, LOOKAHEAD_BRAKE, 0) - BEYOND_COST - here);
            }
            if (!safe(traffic, ego, side)) {
                double far = laneSpeed(traffic, ego, side, TIME_GAP, LOOKAHEAD_BRAKE, BLOCK_RANGE);
                if (beyond >= 0 && beyond < road.lanes()) {
                    far = Math.max(far, laneSpeed(traffic, ego, beyond, TIME_GAP, LOOKAHEAD_BRAKE, 0) - BEYOND_COST);
                }
                pushing |= far - here >= PUSH_GAIN && blockedFromBehind(traffic, ego, side);
                continue;
            }
            double needed = side > ego.lane() ? GAIN_RIGHT : GAIN_LEFT;
            if (gain >= needed && (best == ego.lane() || gain > bestGain)) {
                best = side;
                bestGain = gain;
            }
        }
        if (best != ego.lane()) {
            targetLane = best;
            cooldown = COOLDOWN_S;
        }
    }

    /**
     * One lane towards {@code taskLane} once the ego is in the lane it last headed for (without
     * waiting to settle, so crossing several lanes is one sweep) and the move is safe. Returns the
     * lane it waits to enter, or -1.
     */
    private int approach(Traffic traffic, Vehicle ego, int taskLane) {
        if (ego.lane() != targetLane || targetLane == taskLane) {
            return -1;
        }
        int next = targetLane + Integer.signum(taskLane - targetLane);
        if (cooldown == 0 && safe(traffic, ego, next)) {
            targetLane = next;
            return -1;
        }
        return next;
    }

    /**
     * Whether moving into (or staying in) {@code lane} leaves room: a minimum gap to every vehicle
     * occupying it, no hard braking for us behind the new leader, and a new follower that could
     * stop closing on us with gentle braking.
     */
    boolean safe(Traffic traffic, Vehicle ego, int lane) {
        Road road = traffic.road();
        for (Vehicle v : traffic.vehicles()) {
            if (v == ego || !occupies(road, v, lane)) {
                continue;
            }
            double dx = v.x() - ego.x();
            double gap = Math.abs(dx) - Vehicle.LENGTH;
            if (gap < MIN_GAP) {
                return false;
            }
            if (dx > 0) {
                double closing = ego.speed() - v.speed();
                double room = gap - MIN_GAP;
                if (closing > 0 && (closing * closing / (2 * room) > COMFORT_BRAKE || gap / closing < MIN_TTC)) {
                    return false;
                }
            } else {
                double closing = v.speed() - ego.speed();
                if (gap < MIN_GAP + REAR_TIME_GAP * v.speed()
                        || closing > 0 && closing * closing / (2 * (gap - MIN_GAP / 2)) > SAFE_REAR_BRAKING) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether every vehicle in {@code lane} near us is beside or behind us and not faster. */
    static boolean blockedFromBehind(Traffic traffic, Vehicle ego, int lane) {
        Road road = traffic.road();
        for (Vehicle v : traffic.vehicles()) {
            if (v != ego && occupies(road, v, lane) && Math.abs(v.x() - ego.x()) < PUSH_RANGE
                    && (v.x() > ego.x() || v.speed() > ego.speed() + 0.5)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The speed we may drive in {@code lane}: the target speed, or less where we must still be
     * able to brake at {@code brake} down to the leader's speed before the gap shrinks below
     * {@link #MIN_GAP} plus {@code timeGap} seconds of travel.
     */
    double laneSpeed(Traffic traffic, Vehicle ego, int lane, double timeGap, double brake, double ignoreWithin) {
        Road road = traffic.road();
        Vehicle leader = null;
        for (Vehicle v : traffic.vehicles()) {
            if (v != ego && v.x() > ego.x() + ignoreWithin && occupies(road, v, lane)
                    && (leader == null || v.x() < leader.x())) {
                leader = v;
            }
        }
        if (leader == null) {
            return TARGET_SPEED;
        }
        double gap = leader.x() - ego.x() - Vehicle.LENGTH;
        double room = gap - (MIN_GAP + timeGap * ego.speed());
        double leaderSpeed = leader.speed() * Math.cos(leader.heading());
        double safe = room >= 0 ? leaderSpeed + Math.sqrt(2 * brake * room) : leaderSpeed + room / CLOSE_TAU;
        return Math.min(TARGET_SPEED, safe);
    }

    /** A vehicle occupies a lane when it is in it, heading into it, or laterally overlapping it. */
    static boolean occupies(Road road, Vehicle v, int lane) {
        return v.lane() == lane || v.targetLane() == lane
                || Math.abs(road.lateral(lane, v.y())) < (road.laneWidth() + Vehicle.WIDTH) / 2 + 0.3;
    }

    /** Lateral position to heading to heading rate to steering, as a bicycle model allows. */
    private double steering(Vehicle ego, Road road) {
        double v = Math.max(ego.speed(), 1.0);
        double error = road.lateral(targetLane, ego.y());
        double lateralSpeed = clip(-error / TAU_LATERAL, -MAX_LATERAL_SPEED, MAX_LATERAL_SPEED);
        double headingRef = Math.asin(clip(lateralSpeed / v, -0.5, 0.5));
        double rate = (headingRef - ego.heading()) / TAU_HEADING;
        double slip = Math.asin(clip(Vehicle.LENGTH / 2 * rate / v, -1, 1));
        return clip(Math.atan(2 * Math.tan(slip)), -Math.PI / 4, Math.PI / 4);
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
