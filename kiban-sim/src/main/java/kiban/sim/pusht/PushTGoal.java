package kiban.sim.pusht;

import java.util.List;
import kiban.sim.env.EnvTask;

/**
 * A goal pose of the T (its local origin and angle, as the state reports the block) and the task
 * that names it. The state never shows the goal, so only the instruction tells the tasks apart;
 * the camera frame draws the episode's goal, as gym-pusht's does.
 */
public final class PushTGoal {

    /** gym-pusht's one goal, (256, 256, pi/4): the stem points down and to the left. */
    public static final PushTGoal CENTRE = new PushTGoal(
            new EnvTask("centre", "push the T onto the centre goal, turned 45 degrees clockwise"),
            PushTGeometry.GOAL_X, PushTGeometry.GOAL_Y, PushTGeometry.GOAL_ANGLE);

    /** Bar along the top, stem straight down: the T spans x 120..240, y 140..260. */
    public static final PushTGoal UPPER_LEFT = new PushTGoal(
            new EnvTask("upper-left", "push the T onto the upper-left goal, upright"), 180, 140, 0);

    /** Turned half a turn, stem pointing up: the T spans x 270..390, y 260..380. */
    public static final PushTGoal LOWER_RIGHT = new PushTGoal(
            new EnvTask("lower-right", "push the T onto the lower-right goal, upside down"), 330, 380, Math.PI);

    /** The first is the default task. */
    public static final List<PushTGoal> ALL = List.of(CENTRE, UPPER_LEFT, LOWER_RIGHT);

    private final EnvTask task;
    private final double x;
    private final double y;
    private final double angle;
    private final double[][] corners;

    private PushTGoal(EnvTask task, double x, double y, double angle) {
        this.task = task;
        this.x = x;
        this.y = y;
        this.angle = angle;
        this.corners = PushTGeometry.corners(x, y, angle);
    }

    /** The goal of {@code task}, one of {@link #ALL}'s tasks. */
    public static PushTGoal of(EnvTask task) {
        for (PushTGoal g : ALL) {
            if (g.task.equals(task)) {
                return g;
            }
        }
        throw new IllegalArgumentException("pusht poses no task " + task);
    }

    /** The tasks of {@link #ALL}, in order. */
    static List<EnvTask> tasks() {
        return ALL.stream().map(PushTGoal::task).toList();
    }

    public EnvTask task() {
        return task;
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    public double angle() {
        return angle;
    }

    /** Corners of the goal T, as {@link PushTGeometry#corners}. */
    public double[][] corners() {
        return new double[][] {corners[0].clone(), corners[1].clone()};
    }

    /** area(this goal's T intersected with the T at the pose) / area(goal T). */
    public double coverage(double blockX, double blockY, double blockAngle) {
        return PushTGeometry.coverage(corners, blockX, blockY, blockAngle);
    }

    @Override
    public String toString() {
        return task.name() + " (" + x + ", " + y + ", " + angle + ")";
    }
}
