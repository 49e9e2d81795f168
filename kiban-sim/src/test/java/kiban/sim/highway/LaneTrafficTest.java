package kiban.sim.highway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import kiban.sim.highway.traffic.Road;
import kiban.sim.highway.traffic.Traffic;
import kiban.sim.highway.traffic.Vehicle;
import org.junit.jupiter.api.Test;

class LaneTrafficTest {

    @Test
    void eachSlotNamesOneLaneAndSide() {
        Road road = Road.HIGHWAY;
        Traffic t = new Traffic(road);
        Vehicle ego = Vehicle.ego(0, road, 0, road.laneCenter(0), 0, 25);
        t.add(ego);
        t.add(Vehicle.idm(1, road, 30, road.laneCenter(0), 20, 4));   // own lane, ahead
        t.add(Vehicle.idm(2, road, 60, road.laneCenter(0), 30, 4));   // own lane, further ahead: not the leader
        t.add(Vehicle.idm(3, road, -20, road.laneCenter(1), 28, 4));  // right lane, behind
        t.add(Vehicle.idm(4, road, 10, road.laneCenter(2), 20, 4));   // two lanes over: not observed

        double[] out = new double[LaneTraffic.LANES * LaneTraffic.COLUMNS.size()];
        LaneTraffic.write(t.vehicles(), ego, road, out, 0);

        // Left of lane 0 there is no lane: blocked on both sides.
        assertThat(java.util.Arrays.copyOfRange(out, 0, 5)).containsExactly(0, LaneTraffic.BLOCKED, 0, LaneTraffic.BLOCKED, 0);
        // Own lane: the nearest vehicle ahead, 30 m centre to centre minus a length; none behind.
        assertThat(out[5]).isEqualTo(1);
        assertThat(out[6]).isCloseTo(25, within(1e-9));
        assertThat(out[7]).isCloseTo(-5, within(1e-9));
        assertThat(out[8]).isEqualTo(LaneTraffic.FAR);
        assertThat(out[9]).isZero();
        // Right lane: nothing ahead, one vehicle behind closing at 3 m/s.
        assertThat(out[10]).isEqualTo(1);
        assertThat(out[11]).isEqualTo(LaneTraffic.FAR);
        assertThat(out[13]).isCloseTo(15, within(1e-9));
        assertThat(out[14]).isCloseTo(3, within(1e-9));
    }

    @Test
    void theEnvObservationEndsWithLaneTraffic() {
        HighwayEnv env = new HighwayEnv(kiban.sim.env.EnvConfig.DEFAULT);
        double[] s = env.reset(5).state();
        int at = s.length - LaneTraffic.LANES * LaneTraffic.COLUMNS.size();
        double[] expected = new double[LaneTraffic.LANES * LaneTraffic.COLUMNS.size()];
        LaneTraffic.write(env.traffic().vehicles(), env.ego(), env.traffic().road(), expected, 0);
        assertThat(java.util.Arrays.copyOfRange(s, at, s.length)).containsExactly(expected);
        assertThat(env.spec().observation().getLast().name()).isEqualTo("lane_traffic");
    }
}
