package kiban.sim.highway;

import java.util.List;
import kiban.sim.env.EnvTask;
import kiban.sim.highway.traffic.Road;

/**
 * The highway's tasks. All start from the same scene for a seed; only the instruction says which
 * is posed. {@link #DRIVE_FAST} is highway-v0 itself; the lane tasks ask the ego to hold one lane
 * at traffic speed.
 */
public final class HighwayTasks {

    /** highway-v0: reward for speed (and a little for the right lane), success for 40 s without a crash. */
    public static final EnvTask DRIVE_FAST = new EnvTask("drive-fast", "drive fast without crashing");
    /** Hold the rightmost lane (lane 3). */
    public static final EnvTask KEEP_RIGHT = new EnvTask("keep-right", "keep to the right lane");
    /** Hold the leftmost lane (lane 0). */
    public static final EnvTask KEEP_LEFT = new EnvTask("keep-left", "drive in the left lane");

    public static final List<EnvTask> ALL = List.of(DRIVE_FAST, KEEP_RIGHT, KEEP_LEFT);

    /**
     * Share of the episode's control steps a lane task needs in its lane. The worst start is three
     * lanes away: 10 m to where that lane is the closest, at least 4 s (10% of the 40 s) at the
     * expert's 2.5 m/s lateral speed, more where traffic blocks a lane on the way.
     */
    public static final double MIN_LANE_SHARE = 0.85;
    /**
     * Mean speed (m/s) a lane task needs, half the speed limit, so that holding a lane by crawling
     * fails. Traffic drives at 21-24 m/s, but a lane's platoon follows its slowest driver and
     * brakes for vehicles merging in: the expert's mean speed in one lane goes below 20 m/s.
     */
    public static final double MIN_MEAN_SPEED = 15.0;

    private HighwayTasks() {}

    /** The lane {@code task} asks the ego to hold on {@code road}, or -1 where it names none. */
    public static int lane(EnvTask task, Road road) {
        if (task.equals(KEEP_RIGHT)) {
            return road.lanes() - 1;
        }
        if (task.equals(KEEP_LEFT)) {
            return 0;
        }
        return -1;
    }
}
