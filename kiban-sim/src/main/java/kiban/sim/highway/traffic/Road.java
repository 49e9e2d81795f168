package kiban.sim.highway.traffic;

/**
 * A straight road of parallel lanes along +x, as highway-env's {@code straight_road_network}:
 * lane {@code i} is centred on {@code y = i * laneWidth}, lane 0 is the leftmost and the highest
 * index the rightmost (y grows to the right, as on highway-env's screen).
 */
public record Road(int lanes, double laneWidth, double length, double speedLimit) {

    /** highway-v0: 4 lanes of 4 m, 10 km long, 30 m/s speed limit. */
    public static final Road HIGHWAY = new Road(4, 4.0, 10_000.0, 30.0);

    /** highway-env's {@code AbstractLane.VEHICLE_LENGTH}, the slack at both lane ends. */
    static final double END_SLACK = 5.0;

    public Road {
        if (lanes < 1 || !(laneWidth > 0) || !(length > 0) || !(speedLimit > 0)) {
            throw new IllegalArgumentException("a road needs lanes >= 1 and positive width, length and speed limit, got "
                    + lanes + ", " + laneWidth + ", " + length + ", " + speedLimit);
        }
    }

    public double laneCenter(int lane) {
        return lane * laneWidth;
    }

    /** Signed lateral offset of {@code y} from the centre of {@code lane}. */
    public double lateral(int lane, double y) {
        return y - lane * laneWidth;
    }

    /**
     * The lane closest to a point ({@code get_closest_lane_index}): on parallel straight lanes the
     * heading and longitudinal terms are equal for every lane, so only |lateral| decides; ties go
     * to the lower index, as numpy's argmin.
     */
    public int closestLane(double y) {
        int best = 0;
        double bestD = Math.abs(y);
        for (int i = 1; i < lanes; i++) {
            double d = Math.abs(y - i * laneWidth);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }

    /** {@code AbstractLane.on_lane}: within half a width (plus margin) and the lane's length. */
    public boolean onLane(int lane, double x, double y, double margin) {
        return Math.abs(lateral(lane, y)) <= laneWidth / 2 + margin && -END_SLACK <= x && x < length + END_SLACK;
    }

    /** {@code AbstractLane.is_reachable_from}: within two widths laterally and not behind the start. */
    public boolean reachable(int lane, double x, double y) {
        return Math.abs(lateral(lane, y)) <= 2 * laneWidth && 0 <= x && x < length + END_SLACK;
    }

    /** {@code Vehicle.on_road}: on the closest lane, margin 0. */
    public boolean onRoad(double x, double y) {
        return onLane(closestLane(y), x, y, 0);
    }
}
