package kiban.sim.highway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IdmTest {

    private final Road road = Road.HIGHWAY;

    @Test
    void freeRoadTermFollowsTheFormula() {
        Vehicle v = Vehicle.idm(0, road, 0, 0, 20, 4);
        v.targetSpeed = 25;
        // 3 (1 - (20/25)^4)
        assertThat(Idm.acceleration(4, v, null, road)).isCloseTo(1.7712, within(1e-12));
    }

    @Test
    void interactionTermFollowsTheFormula() {
        Vehicle v = Vehicle.idm(0, road, 0, 0, 20, 4);
        v.targetSpeed = 25;
        Vehicle front = Vehicle.idm(1, road, 30, 0, 15, 4);
        // d* = 10 + 20 * 1.5 + 20 * 5 / (2 sqrt 15) = 52.90994; a = 1.7712 - 3 (d*/30)^2
        assertThat(Idm.desiredGap(v, front)).isCloseTo(52.909944487, within(1e-8));
        assertThat(Idm.acceleration(4, v, front, road)).isCloseTo(-7.560340752, within(1e-8));
    }

    @Test
    void theDecidersExponentAndTheSpeedLimitApply() {
        Vehicle v = Vehicle.idm(0, road, 0, 0, 20, 4);
        v.targetSpeed = 50; // clipped to the 30 m/s limit
        assertThat(Idm.acceleration(3.5, v, null, road)).isCloseTo(3 * (1 - Math.pow(20 / 30.0, 3.5)), within(1e-12));
    }

    @Test
    void aVehicleWithoutTargetSpeedLooksLikeItWantsToStop() {
        // The ego (a plain highway-env Vehicle) has no target speed: not_zero(0) = 0.01 m/s.
        Vehicle ego = Vehicle.ego(0, road, 0, 0, 0, 25);
        assertThat(Idm.acceleration(4, ego, null, road)).isCloseTo(3 * (1 - Math.pow(2500, 4)), within(1.0));
        assertThat(Idm.acceleration(4, null, ego, road)).isZero();
    }
}
