package kiban.sim.arm;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import kiban.sim.env.AbstractEnv;
import kiban.sim.env.EnvConfig;
import kiban.sim.env.EnvSpec;
import kiban.sim.env.Image;

/**
 * A UR5e picks a 4 cm cube off a table and places it in a circular target zone, or does one of the
 * other {@link PickPlaceTasks} with it (lift it, put it on the left side). Joint targets
 * are tracked at the 180 deg/s speed limit in {@value #SUBSTEPS} substeps per 20 Hz control
 * step; a motion that would take a link or the held cube below the table top is refused. See the
 * package documentation for the grasp model and the reward.
 */
public final class PickPlaceEnv extends AbstractEnv {

    public static final int SUBSTEPS = 5;
    public static final double CUBE_SIZE = 0.04;
    public static final double ZONE_RADIUS = 0.05;
    /** Robotiq 2F-85 stroke: the jaw gap when fully open. */
    public static final double GRIPPER_STROKE = 0.085;
    /** The gripper position at which the jaws touch the cube's faces. */
    public static final double CONTACT = 1 - CUBE_SIZE / GRIPPER_STROKE;
    /** How far the cube centre may sit from the TCP along the jaw axis, across it and vertically. */
    public static final double[] GRASP_TOLERANCE = {0.02, 0.015, 0.015};
    public static final double GRASP_YAW_TOLERANCE = Math.toRadians(15);
    public static final double GRASP_TILT_TOLERANCE = Math.toRadians(20);
    /** Joint frame origins keep this far above the table top (a link's radius); the TCP may touch it. */
    public static final double LINK_CLEARANCE = 0.04;
    public static final double SUCCESS_BONUS = 5;
    public static final double COLLISION_PENALTY = 0.1;
    /** Round-off allowance for touching the table top, m. */
    static final double TOUCH_TOLERANCE = 1e-9;
    /** Elbow up, tool pointing down above the middle of the work area. */
    static final double[] HOME = {0, -Math.PI / 2, Math.PI / 2, -Math.PI / 2, -Math.PI / 2, 0};

    private static final int N = Ur5eKinematics.DOF;

    private final double dt;
    private final double[] jointLow;
    private final double[] jointHigh;
    private final double jointStep;
    private final double gripperStep;
    private final double[] q = new double[N];
    private final double[] qStart = new double[N];
    private final double[] qd = new double[N];
    private final double[] candidate = new double[N];
    private final double[][] frames = Ur5eKinematics.newFrames();
    private final double[][] candidateFrames = Ur5eKinematics.newFrames();
    private final double[] heldPos = new double[3];
    private final double[] cubeStart = new double[3];
    private final double[] target = new double[3];
    private final Cube cube = new Cube(CUBE_SIZE);
    private double gripper;
    private long tableCollisions;
    private boolean everGrasped;
    private boolean succeeded;
    private PickPlaceTasks.Goal goal = PickPlaceTasks.Goal.ZONE;
    /** Consecutive steps the cube has been held still and high enough, for {@link PickPlaceTasks#LIFT}. */
    private int liftedSteps;

    PickPlaceEnv(EnvSpec spec, EnvConfig config) {
        super(spec, config);
        this.dt = 1.0 / (spec.controlHz() * SUBSTEPS);
        var joint = spec.embodiment().actionFeature("joint_target").orElseThrow();
        this.jointLow = joint.lowArray();
        this.jointHigh = joint.highArray();
        this.jointStep = joint.maxRateArray()[0] * dt;
        this.gripperStep = spec.embodiment().actionFeature("gripper").orElseThrow().maxRateArray()[0] * dt;
    }

    @Override
    protected double[] doReset(long seed) {
        Layout layout = Layout.draw(new SplittableRandom(seed), config.randomization().frictionSpread());
        System.arraycopy(HOME, 0, q, 0, N);
        java.util.Arrays.fill(qd, 0);
        Ur5eKinematics.frames(q, frames);
        gripper = 0;
        cube.place(layout.cubeX(), layout.cubeY(), layout.cubeYaw(), layout.friction());
        target[0] = layout.targetX();
        target[1] = layout.targetY();
        target[2] = 0;
        tableCollisions = 0;
        everGrasped = false;
        succeeded = false;
        goal = PickPlaceTasks.Goal.of(task());
        liftedSteps = 0;
        return state();
    }

    @Override
    protected double[] holdAction() {
        double[] a = new double[N + 1];
        System.arraycopy(q, 0, a, 0, N);
        a[N] = gripper;
        return a;
    }

    @Override
    protected Transition doStep(double[] action) {
        System.arraycopy(q, 0, qStart, 0, N);
        System.arraycopy(cube.pos, 0, cubeStart, 0, 3);
        boolean collided = false;
        for (int s = 0; s < SUBSTEPS; s++) {
            collided |= !moveArm(action);
            moveGripper(action[N]);
            cube.fall(dt);
        }
        double period = dt * SUBSTEPS;
        for (int j = 0; j < N; j++) {
            qd[j] = (q[j] - qStart[j]) / period;
        }
        if (collided) {
            tableCollisions++;
        }
        succeeded = goalReached(period);
        double reward = reward() - (collided ? COLLISION_PENALTY : 0) + (succeeded ? SUCCESS_BONUS : 0);
        Map<String, Double> info = new TreeMap<>();
        info.put("is_success", succeeded ? 1.0 : 0.0);
        info.put("table_collisions", (double) tableCollisions);
        info.put("grasped", cube.held ? 1.0 : 0.0);
        return new Transition(state(), reward, succeeded, info);
    }

    /** Whether the cube is where the task wants it; counts the lifted steps, so call it once a step. */
    private boolean goalReached(double period) {
        return switch (goal) {
            case ZONE -> cube.resting() && horizontalDistance() <= ZONE_RADIUS;
            case LIFTED -> {
                // over the whole step: the joints reach a step's targets within its first substeps
                double moved = distance(cube.pos[0], cube.pos[1], cube.pos[2], cubeStart[0], cubeStart[1], cubeStart[2]);
                boolean still = moved / period <= PickPlaceTasks.STILL_SPEED;
                liftedSteps = cube.held && still && bottomHeight() >= PickPlaceTasks.LIFT_HEIGHT ? liftedSteps + 1 : 0;
                yield liftedSteps >= PickPlaceTasks.HOLD_STEPS;
            }
            case LEFT_SIDE -> cube.resting() && cube.pos[1] >= PickPlaceTasks.LEFT_SIDE_Y;
        };
    }

    /** One substep of joint motion toward the targets; false when the table refused it. */
    private boolean moveArm(double[] action) {
        for (int j = 0; j < N; j++) {
            double step = Math.max(-jointStep, Math.min(jointStep, action[j] - q[j]));
            candidate[j] = Math.max(jointLow[j], Math.min(jointHigh[j], q[j] + step));
        }
        Ur5eKinematics.frames(candidate, candidateFrames);
        boolean clear = clearOfTable(candidateFrames);
        if (clear && cube.held) {
            cube.heldPosition(candidateFrames[N], heldPos);
            clear = heldPos[2] - CUBE_SIZE / 2 >= -TOUCH_TOLERANCE;
        }
        if (clear) {
            System.arraycopy(candidate, 0, q, 0, N);
            for (int k = 0; k <= N; k++) {
                System.arraycopy(candidateFrames[k], 0, frames[k], 0, 16);
            }
        }
        if (cube.held) {
            cube.heldPosition(frames[N], heldPos);
            cube.carry(heldPos, jawYaw(frames[N]), dt);
        }
        return clear;
    }

    /** Frames 2..6 keep {@link #LINK_CLEARANCE} above the table, the TCP stays on or above it. */
    static boolean clearOfTable(double[][] f) {
        // frame 1 turns about the vertical axis at shoulder height; the links between origins are
        // straight segments, so checking the origins checks the whole skeleton
        for (int k = 1; k < N; k++) {
            if (f[k][11] < LINK_CLEARANCE) {
                return false;
            }
        }
        return f[N][11] >= -TOUCH_TOLERANCE;
    }

    private void moveGripper(double command) {
        double before = gripper;
        gripper += Math.max(-gripperStep, Math.min(gripperStep, command - gripper));
        if (cube.held) {
            if (gripper < CONTACT) {
                cube.release();
            } else {
                gripper = CONTACT; // the jaws stop on the cube's faces
            }
        } else if (before < CONTACT && gripper >= CONTACT && graspable()) {
            cube.grasp(frames[N], jawYaw(frames[N]));
            gripper = CONTACT;
            everGrasped = true;
        }
    }

    /** Whether the cube sits between the open jaws, square to them, with the tool near vertical. */
    private boolean graspable() {
        double[] t = frames[N];
        double dx = cube.pos[0] - t[3];
        double dy = cube.pos[1] - t[7];
        double dz = cube.pos[2] - t[11];
        for (int c = 0; c < 3; c++) {
            double local = t[c] * dx + t[4 + c] * dy + t[8 + c] * dz;
            if (Math.abs(local) > GRASP_TOLERANCE[c]) {
                return false;
            }
        }
        double tilt = Math.acos(Math.max(-1, Math.min(1, -t[10])));
        return tilt <= GRASP_TILT_TOLERANCE && Math.abs(wrapQuarter(jawYaw(t) - cube.yaw)) <= GRASP_YAW_TOLERANCE;
    }

    /** Shaped reward: reach the cube, hold it, bring it where the task wants it (each term in [0, 1]). */
    private double reward() {
        double reach = cube.held ? 1 : 1 - Math.tanh(10 * distance(frames[N][3], frames[N][7], frames[N][11],
                cube.pos[0], cube.pos[1], cube.pos[2]));
        double place = 1 - Math.tanh(10 * goalError());
        return 0.25 * reach + 0.25 * (cube.held ? 1 : 0) + 0.5 * place;
    }

    private double[] state() {
        double[] s = new double[spec.observationDim()];
        System.arraycopy(q, 0, s, 0, N);
        System.arraycopy(qd, 0, s, N, N);
        s[2 * N] = gripper;
        s[2 * N + 1] = frames[N][3];
        s[2 * N + 2] = frames[N][7];
        s[2 * N + 3] = frames[N][11];
        System.arraycopy(cube.pos, 0, s, 2 * N + 4, 3);
        s[2 * N + 7] = wrapQuarter(cube.yaw);
        System.arraycopy(target, 0, s, 2 * N + 8, 3);
        s[2 * N + 11] = jawYaw(frames[N]);
        return s;
    }

    /**
     * How far the cube is from where the task wants it, m: for the zone, from the cube's bottom face
     * centre to the zone centre; for lifting, how far the bottom is below the lift height; for the
     * left side, from the bottom face centre to the nearest point of the table top there.
     */
    double goalError() {
        return switch (goal) {
            case ZONE -> placementError();
            case LIFTED -> Math.max(0, PickPlaceTasks.LIFT_HEIGHT - bottomHeight());
            case LEFT_SIDE -> Math.hypot(Math.max(0, PickPlaceTasks.LEFT_SIDE_Y - cube.pos[1]), bottomHeight());
        };
    }

    private double bottomHeight() {
        return cube.pos[2] - CUBE_SIZE / 2;
    }

    /** The distance from the cube's bottom face centre to the zone centre on the table top. */
    double placementError() {
        return distance(cube.pos[0], cube.pos[1], cube.pos[2] - CUBE_SIZE / 2, target[0], target[1], target[2]);
    }

    private double horizontalDistance() {
        return Math.hypot(cube.pos[0] - target[0], cube.pos[1] - target[1]);
    }

    @Override
    public Image render(int height, int width) {
        return render(ArmRenderer.FRONT, height, width);
    }

    @Override
    public Image render(String camera, int height, int width) {
        return varied(ArmRenderer.render(this, camera, height, width));
    }

    @Override
    public Map<String, Double> episodeMetrics() {
        Map<String, Double> m = new TreeMap<>();
        m.put("placement_error", goalError());
        m.put("grasped", everGrasped ? 1.0 : 0.0);
        m.put("table_collisions", (double) tableCollisions);
        return m;
    }

    @Override
    public boolean success() {
        return succeeded;
    }

    /** Control steps in this episode in which the table refused some motion. */
    public long tableCollisions() {
        return tableCollisions;
    }

    /** Whether the gripper holds the cube now. */
    public boolean holding() {
        return cube.held;
    }

    // privileged state, for the expert, the renderer and tests

    double[] jointPositions() {
        return q.clone();
    }

    double[][] frames() {
        return frames;
    }

    double gripperPosition() {
        return gripper;
    }

    Cube cube() {
        return cube;
    }

    double[] target() {
        return target.clone();
    }

    double[] jointLow() {
        return jointLow.clone();
    }

    double[] jointHigh() {
        return jointHigh.clone();
    }

    /** The yaw of the jaw closing axis (the TCP x axis) in the table plane. */
    static double jawYaw(double[] tcp) {
        return Math.atan2(tcp[4], tcp[0]);
    }

    /** An angle wrapped into [-pi/4, pi/4): a cube looks the same turned by a quarter. */
    static double wrapQuarter(double a) {
        double quarter = Math.PI / 2;
        return a - quarter * Math.floor((a + quarter / 2) / quarter);
    }

    private static double distance(double ax, double ay, double az, double bx, double by, double bz) {
        double dx = ax - bx;
        double dy = ay - by;
        double dz = az - bz;
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
}
