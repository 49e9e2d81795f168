package kiban.sim.arm;

import java.util.List;
import kiban.sim.env.EnvTask;

/**
 * The tasks {@code ur5e-pick-place} poses on one scene. Every task starts from the same layout
 * and observation for a seed, and their successes exclude each other (the cube at rest in the
 * zone, held up in the air, at rest beyond the work area's left edge), so only the instruction
 * says which to do.
 */
public final class PickPlaceTasks {

    /** Today's task: the cube at rest with its centre within 5 cm of the zone's centre. */
    public static final EnvTask PLACE_IN_ZONE = new EnvTask("place-in-zone", "place the cube in the target zone");
    /** The cube held still, its bottom at least {@link #LIFT_HEIGHT} above the table, for {@link #HOLD_STEPS} steps. */
    public static final EnvTask LIFT = new EnvTask("lift",
            "pick up the cube and hold it still, at least 10 cm above the table");
    /** The cube at rest with its centre at {@code y >= }{@link #LEFT_SIDE_Y}: left as the front camera sees it. */
    public static final EnvTask PUT_LEFT = new EnvTask("put-left", "put the cube down on the left side of the table");
    public static final List<EnvTask> ALL = List.of(PLACE_IN_ZONE, LIFT, PUT_LEFT);

    /** The least height of the held cube's bottom above the table for {@link #LIFT}, m. */
    public static final double LIFT_HEIGHT = 0.10;
    /** How long the lifted cube must be held still: 1 s at 20 Hz, longer than carrying it past takes. */
    public static final int HOLD_STEPS = 20;
    /** The held cube counts as still below this speed, m/s (about 1 mm per control step). */
    public static final double STILL_SPEED = 0.02;
    /**
     * The left side starts 10 cm beyond the edge of the strip the cube and the zone are drawn from,
     * so a cube resting there is in no zone and no episode starts there.
     */
    public static final double LEFT_SIDE_Y = Layout.Y_MAX + 0.1;

    private PickPlaceTasks() {}

    /** What the cube must end as, one per task. */
    enum Goal {
        ZONE, LIFTED, LEFT_SIDE;

        static Goal of(EnvTask task) {
            if (task.equals(LIFT)) {
                return LIFTED;
            }
            return task.equals(PUT_LEFT) ? LEFT_SIDE : ZONE;
        }
    }
}
