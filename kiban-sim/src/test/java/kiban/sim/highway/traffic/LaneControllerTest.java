package kiban.sim.highway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LaneControllerTest {

    @Test
    void steeringFollowsTheCascadeByHand() {
        Road road = Road.HIGHWAY;
        Vehicle v = Vehicle.ego(0, road, 0, 1.0, 0.05, 20);
        // lateral 1 -> lateral speed -1/0.6 -> heading ref asin(-1/12) -> rate 5 (ref - 0.05)
        // -> slip asin(2.5 / 20 rate) -> steering atan(2 tan slip)
        double rate = 5 * (Math.asin(-1 / 0.6 / 20) - 0.05);
        double expected = Math.atan(2 * Math.tan(Math.asin(2.5 / 20 * rate)));
        assertThat(LaneController.steering(v, road, 0)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void wrapToPiUsesFlooredModulo() {
        assertThat(LaneController.wrapToPi(3 * Math.PI / 2)).isCloseTo(-Math.PI / 2, within(1e-12));
        assertThat(LaneController.wrapToPi(-3 * Math.PI / 2)).isCloseTo(Math.PI / 2, within(1e-12));
    }
}
