package kiban.sim.highway.traffic;

/**
 * The decision step of highway-env's {@code IDMVehicle.act}: MOBIL picks the target lane (at most
 * once per {@link Mobil#LANE_CHANGE_DELAY}, aborting a change when another driver heads for the
 * same lane too close), the lane controller steers to it and IDM sets the acceleration, taking the
 * lower of the current and target lanes' values while changing lanes.
 */
final class IdmDriver {

    private IdmDriver() {}

    static void act(Traffic traffic, Vehicle v) {
        if (v.crashed) {
            return;
        }
        Road road = traffic.road();
        changeLanePolicy(traffic, v);
        double steering = Idm.clip(LaneController.steering(v, road, v.targetLane),
                -LaneController.MAX_STEERING_ANGLE, LaneController.MAX_STEERING_ANGLE);
        double acc = Idm.acceleration(v.delta, v, traffic.neighbours(v, v.lane).front(), road);
        if (v.lane != v.targetLane) {
            acc = Math.min(acc, Idm.acceleration(v.delta, v, traffic.neighbours(v, v.targetLane).front(), road));
        }
        v.act(Idm.clip(acc, -Idm.ACC_MAX, Idm.ACC_MAX), steering);
    }

    static void changeLanePolicy(Traffic traffic, Vehicle v) {
        Road road = traffic.road();
        if (v.lane != v.targetLane) {
            for (Vehicle u : traffic.vehicles()) {
                // Only controlled vehicles announce a target lane; the ego does not.
                if (u != v && u.driven && u.lane != v.targetLane && u.targetLane == v.targetLane) {
                    double d = u.x - v.x;
                    if (0 < d && d < Idm.desiredGap(v, u)) {
                        v.targetLane = v.lane;
                        break;
                    }
                }
            }
            return;
        }
        if (!(Mobil.LANE_CHANGE_DELAY < v.timer)) {
            return;
        }
        v.timer = 0;
        for (int side = v.lane - 1; side <= v.lane + 1; side += 2) {
            if (side < 0 || side >= road.lanes() || !road.reachable(side, v.x, v.y) || Math.abs(v.speed) < 1) {
                continue;
            }
            if (Mobil.recommends(traffic, v, side)) {
                v.targetLane = side;
            }
        }
    }
}
