package kiban.sim.highway;

import java.util.List;
import kiban.sim.highway.traffic.Road;
import kiban.sim.highway.traffic.Vehicle;

/**
 * The {@code lane_traffic} observation: for the lane left of the ego, its own lane and the lane to
 * its right, whether the lane exists, then the bumper-to-bumper gap to the nearest vehicle ahead
 * in it and that vehicle's longitudinal speed relative to the ego, then the same for the nearest
 * vehicle behind. Kinematics' rows sort vehicles by distance, so the ego's leader moves between
 * slots from step to step; here every number has one meaning, as in highway-env's lane-indexed
 * {@code TimeToCollision} observation. A lane is occupied by a vehicle in it, overlapping it, or
 * whose lateral velocity takes it there within {@link #LATERAL_LOOKAHEAD_S}: what the Kinematics
 * rows show, not the other drivers' intentions. An empty side means {@link #FAR} metres and equal
 * speed; a lane that does not exist means a gap of {@link #BLOCKED} metres on both sides.
 */
final class LaneTraffic {

    static final List<String> COLUMNS = List.of("exists", "front_gap", "front_dvx", "rear_gap", "rear_dvx");
    static final int LANES = 3;
    static final double FAR = 100.0;
    static final double BLOCKED = -Vehicle.LENGTH;
    static final double MAX_DVX = 40.0;
    static final double LATERAL_LOOKAHEAD_S = 1.0;

    private LaneTraffic() {}

    /** Writes {@link #LANES} x {@link #COLUMNS} numbers into {@code out} from {@code offset}. */
    static void write(List<Vehicle> vehicles, Vehicle ego, Road road, double[] out, int offset) {
        for (int i = 0; i < LANES; i++) {
            int lane = ego.lane() + i - 1;
            int o = offset + i * COLUMNS.size();
            if (lane < 0 || lane >= road.lanes()) {
                out[o] = 0;
                out[o + 1] = BLOCKED;
                out[o + 2] = 0;
                out[o + 3] = BLOCKED;
                out[o + 4] = 0;
                continue;
            }
            Vehicle front = null;
            Vehicle rear = null;
            for (Vehicle v : vehicles) {
                if (v == ego || !occupies(road, v, lane)) {
                    continue;
                }
                if (v.x() >= ego.x()) {
                    if (front == null || v.x() < front.x()) {
                        front = v;
                    }
                } else if (rear == null || v.x() > rear.x()) {
                    rear = v;
                }
            }
            out[o] = 1;
            out[o + 1] = front == null ? FAR : gap(front.x() - ego.x());
            out[o + 2] = front == null ? 0 : relativeSpeed(front, ego);
            out[o + 3] = rear == null ? FAR : gap(ego.x() - rear.x());
            out[o + 4] = rear == null ? 0 : relativeSpeed(rear, ego);
        }
    }

    static boolean occupies(Road road, Vehicle v, int lane) {
        double reach = (road.laneWidth() + Vehicle.WIDTH) / 2;
        return v.lane() == lane || Math.abs(road.lateral(lane, v.y())) < reach
                || Math.abs(road.lateral(lane, v.y() + v.vy() * LATERAL_LOOKAHEAD_S)) < road.laneWidth() / 2;
    }

    private static double gap(double centreDistance) {
        return Math.max(BLOCKED, Math.min(FAR, centreDistance - Vehicle.LENGTH));
    }

    private static double relativeSpeed(Vehicle v, Vehicle ego) {
        return Math.max(-MAX_DVX, Math.min(MAX_DVX, v.vx() - ego.vx()));
    }
}
