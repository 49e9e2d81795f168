package kiban.sim.arm;

import java.util.Arrays;
import kiban.sim.env.Expert;
import kiban.sim.env.Observation;

/**
 * Scripted pick and place: above the cube, down, close, lift, over the zone, down, open, up. For
 * {@link PickPlaceTasks#LIFT} it holds the cube still after lifting it; for
 * {@link PickPlaceTasks#PUT_LEFT} it sets it down at {@link #LEFT_SPOT} instead of in the zone.
 * Each step it moves a Cartesian set point toward the phase's waypoint at a bounded speed, solves
 * the IK for it from the arm's current joints and commands the solution as joint targets. It
 * reads the env's true state, not the (possibly noisy) observation.
 */
public final class PickPlaceExpert implements Expert {

    /** Hover height of the TCP above the table while travelling, m. */
    static final double HOVER = 0.15;
    /** The released cube's bottom this high above the table, m: a short drop, no collision. */
    static final double RELEASE_GAP = 0.005;
    static final double TRAVEL_SPEED = 0.5;
    static final double APPROACH_SPEED = 0.2;
    static final double YAW_SPEED = 2.0;
    /**
     * Where the cube is set down on the left side (x, y): 10 cm beyond its edge, across from the
     * middle of the work area, well inside the arm's reach.
     */
    static final double[] LEFT_SPOT = {(Layout.X_MIN + Layout.X_MAX) / 2, PickPlaceTasks.LEFT_SIDE_Y + 0.1};
    private static final double CUBE_HALF = PickPlaceEnv.CUBE_SIZE / 2;

    private enum Phase { ABOVE_CUBE, DESCEND, CLOSE, LIFT, HOLD, CARRY, LOWER, OPEN, RETREAT }

    private final PickPlaceEnv env;
    private final InverseKinematics ik;
    private final double period;
    private Phase phase;
    private PickPlaceTasks.Goal goal;
    private double graspYaw;
    // the last commanded set point and joints: stepping from them rather than from the measured
    // pose keeps the motion smooth when actions reach the arm late (action latency)
    private final double[] setpoint = new double[3];
    private double setYaw;
    private double[] qCommand;

    PickPlaceExpert(PickPlaceEnv env) {
        this.env = env;
        this.ik = new InverseKinematics(InverseKinematics.DEFAULT_DAMPING, env.jointLow(), env.jointHigh());
        this.period = 1.0 / env.spec().controlHz();
    }

    @Override
    public void reset(long seed) {
        phase = Phase.ABOVE_CUBE;
        goal = PickPlaceTasks.Goal.of(env.task());
        double[] tcp = env.frames()[Ur5eKinematics.DOF];
        setpoint[0] = tcp[3];
        setpoint[1] = tcp[7];
        setpoint[2] = tcp[11];
        qCommand = env.jointPositions();
        // of the four yaws square to the cube, the one nearest the jaws' yaw needs the least wrist turn
        double jaw = PickPlaceEnv.jawYaw(tcp);
        setYaw = jaw;
        graspYaw = env.cube().yaw + Math.PI / 2 * Math.rint((jaw - env.cube().yaw) / (Math.PI / 2));
    }

    @Override
    public double[] act(Observation observation) {
        if (phase == null) {
            reset(0);
        }
        double[] tcp = env.frames()[Ur5eKinematics.DOF];
        double[] p = {tcp[3], tcp[7], tcp[11]};
        double yaw = PickPlaceEnv.jawYaw(tcp);
        double[] hold = setpoint.clone();
        Cube cube = env.cube();
        double[] t = goal == PickPlaceTasks.Goal.LEFT_SIDE ? LEFT_SPOT : env.target();
        double[] wp;
        double grip = 0;
        double speed = TRAVEL_SPEED;
        double tol = 0.01;
        switch (phase) {
            case ABOVE_CUBE -> wp = new double[] {cube.pos[0], cube.pos[1], HOVER};
            case DESCEND -> {
                wp = new double[] {cube.pos[0], cube.pos[1], cube.pos[2]};
                speed = APPROACH_SPEED;
                tol = 0.003;
            }
            case CLOSE -> {
                wp = hold;
                grip = 1;
            }
            case LIFT -> {
                wp = new double[] {hold[0], hold[1], HOVER};
                grip = 1;
            }
            case HOLD -> {
                wp = hold;
                grip = 1;
            }
            case CARRY -> {
                wp = new double[] {t[0] - (cube.pos[0] - p[0]), t[1] - (cube.pos[1] - p[1]), HOVER};
                grip = 1;
            }
            case LOWER -> {
                double drop = cube.pos[2] - (CUBE_HALF + RELEASE_GAP);
                wp = new double[] {t[0] - (cube.pos[0] - p[0]), t[1] - (cube.pos[1] - p[1]), p[2] - drop};
                grip = 1;
                speed = APPROACH_SPEED;
                tol = 0.003;
            }
            case OPEN -> wp = hold;
            default -> wp = new double[] {hold[0], hold[1], HOVER};
        }
        double[] next = toward(setpoint, wp, speed * period);
        System.arraycopy(next, 0, setpoint, 0, 3);
        setYaw += clamp(wrapPi(graspYaw - setYaw), YAW_SPEED * period);
        boolean arrived = distance(p, wp) <= tol && Math.abs(wrapPi(graspYaw - yaw)) <= 0.02;
        advance(arrived, cube);
        double[] pose = InverseKinematics.topDownPose(next[0], next[1], next[2], setYaw);
        double[] q = ik.solve(qCommand, pose, 30, 1e-6).q();
        qCommand = q;
        double[] action = new double[Ur5eKinematics.DOF + 1];
        System.arraycopy(q, 0, action, 0, Ur5eKinematics.DOF);
        action[Ur5eKinematics.DOF] = grip;
        return action;
    }

    /**
     * Steps on from the joints the env was sent: labelling a student's states (DAgger) from its own
     * commands instead would drag each label along the expert's trajectory, away from the arm.
     */
    @Override
    public void executed(double[] action) {
        qCommand = Arrays.copyOf(action, Ur5eKinematics.DOF);
        double[] tcp = Ur5eKinematics.tcp(qCommand);
        setpoint[0] = tcp[3];
        setpoint[1] = tcp[7];
        setpoint[2] = tcp[11];
        setYaw = PickPlaceEnv.jawYaw(tcp);
    }

    private void advance(boolean arrived, Cube cube) {
        Phase next = switch (phase) {
            case ABOVE_CUBE -> arrived ? Phase.DESCEND : phase;
            case DESCEND -> arrived ? Phase.CLOSE : phase;
            // a grasp that missed (jaws closed past the cube) is retried from above
            case CLOSE -> env.holding() ? Phase.LIFT
                    : env.gripperPosition() >= 1 ? Phase.ABOVE_CUBE : phase;
            case LIFT -> !arrived ? phase : goal == PickPlaceTasks.Goal.LIFTED ? Phase.HOLD : Phase.CARRY;
            case HOLD -> phase;
            case CARRY -> arrived ? Phase.LOWER : phase;
            case LOWER -> arrived ? Phase.OPEN : phase;
            case OPEN -> !env.holding() && env.gripperPosition() <= 0.2 ? Phase.RETREAT : phase;
            case RETREAT -> phase;
        };
        phase = next;
        if (!cube.held && (phase == Phase.LIFT || phase == Phase.HOLD || phase == Phase.CARRY || phase == Phase.LOWER)) {
            phase = Phase.ABOVE_CUBE;
        }
    }

    private static double[] toward(double[] from, double[] to, double maxStep) {
        double d = distance(from, to);
        double f = d <= maxStep ? 1 : maxStep / d;
        return new double[] {from[0] + f * (to[0] - from[0]), from[1] + f * (to[1] - from[1]), from[2] + f * (to[2] - from[2])};
    }

    private static double distance(double[] a, double[] b) {
        return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }

    private static double clamp(double v, double limit) {
        return Math.max(-limit, Math.min(limit, v));
    }

    private static double wrapPi(double a) {
        return StrictMath.IEEEremainder(a, 2 * Math.PI);
    }
}
