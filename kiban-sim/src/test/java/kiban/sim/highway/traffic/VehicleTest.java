package kiban.sim.highway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VehicleTest {

    private final Road road = Road.HIGHWAY;

    @Test
    void bicycleStepMatchesHandComputedEuler() {
        // beta = atan(0.5 tan 0.3) = 0.1534522 rad; x += 10 cos(beta) 0.1; y += 10 sin(beta) 0.1;
        // psi += 10 sin(beta) / 2.5 * 0.1; v += 1 * 0.1.
        Vehicle v = Vehicle.ego(0, road, 0, 0, 0, 10);
        v.act(1.0, 0.3);
        v.step(0.1, road);
        assertThat(v.x()).isCloseTo(0.9882492975, within(1e-9));
        assertThat(v.y()).isCloseTo(0.1528506657, within(1e-9));
        assertThat(v.heading()).isCloseTo(0.0611402663, within(1e-9));
        assertThat(v.speed()).isCloseTo(10.1, within(1e-12));
    }

    @Test
    void positionUsesTheOldHeadingAndSpeed() {
        Vehicle v = Vehicle.ego(0, road, 5, 4, Math.PI / 2, 20);
        v.act(-2, 0);
        v.step(0.5, road);
        assertThat(v.x()).isCloseTo(5, within(1e-9));
        assertThat(v.y()).isCloseTo(14, within(1e-9));
        assertThat(v.speed()).isCloseTo(19, within(1e-12));
        assertThat(v.lane()).isEqualTo(3);
    }

    @Test
    void speedAboveMaximumIsPulledBack() {
        Vehicle v = Vehicle.ego(0, road, 0, 0, 0, 40.5);
        v.act(3, 0);
        v.step(0.1, road);
        // a = min(3, 40 - 40.5) = -0.5
        assertThat(v.speed()).isCloseTo(40.45, within(1e-12));
    }

    @Test
    void crashedVehicleBrakesWithAccelerationMinusSpeedAndStopsSteering() {
        Vehicle v = Vehicle.ego(0, road, 0, 0, 0, 20);
        v.crashed = true;
        v.act(5, 0.5);
        v.step(0.1, road);
        assertThat(v.speed()).isCloseTo(18, within(1e-12));
        assertThat(v.heading()).isZero();
        assertThat(v.y()).isZero();
    }

    @Test
    void idmTimerStartsFromPositionAsInHighwayEnv() {
        Vehicle v = Vehicle.idm(1, road, 100.3, 4, 22, 4);
        assertThat(v.timer).isCloseTo(((100.3 + 4) * Math.PI) % 1.0, within(1e-12));
        assertThat(v.targetSpeed()).isEqualTo(22);
        assertThat(v.targetLane()).isEqualTo(1);
    }
}
