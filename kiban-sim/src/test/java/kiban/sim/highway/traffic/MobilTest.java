package kiban.sim.highway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MobilTest {

    private final Road road = Road.HIGHWAY;

    /** A 25 m/s driver in lane 1 stuck 30 m behind a 15 m/s vehicle. */
    private Traffic stuck(Traffic t) {
        Vehicle self = Vehicle.idm(0, road, 100, 4, 25, 4);
        self.targetSpeed = 30;
        t.add(self);
        t.add(Vehicle.idm(1, road, 130, 4, 15, 4));
        return t;
    }

    @Test
    void changesToAFreeLaneWhenStuckBehindASlowVehicle() {
        Traffic t = stuck(new Traffic(road));
        assertThat(Mobil.recommends(t, t.vehicles().get(0), 0)).isTrue();
        assertThat(Mobil.recommends(t, t.vehicles().get(0), 2)).isTrue();
    }

    @Test
    void refusesWhenTheNewFollowerWouldBrakeTooHard() {
        Traffic t = stuck(new Traffic(road));
        t.add(Vehicle.idm(2, road, 90, 0, 28, 4)); // 10 m behind in lane 0, faster
        assertThat(Mobil.recommends(t, t.vehicles().get(0), 0)).isFalse();
        assertThat(Mobil.recommends(t, t.vehicles().get(0), 2)).isTrue();
    }

    @Test
    void refusesWithoutEnoughGain() {
        Traffic t = new Traffic(road);
        Vehicle self = Vehicle.idm(0, road, 100, 4, 25, 4);
        t.add(self);
        t.add(Vehicle.idm(1, road, 400, 4, 25, 4)); // far ahead: nothing to gain
        assertThat(Mobil.recommends(t, self, 0)).isFalse();
    }

    @Test
    void refusesToCutInFrontOfTheEgoWhateverTheGap() {
        // The ego has no target speed, so its predicted IDM braking behind anyone is enormous.
        Traffic t = stuck(new Traffic(road));
        t.add(Vehicle.ego(2, road, 0, 0, 0, 20)); // 100 m behind in lane 0
        assertThat(Mobil.recommends(t, t.vehicles().get(0), 0)).isFalse();
    }

    @Test
    void driverChangesLaneAndOvertakesInASimulation() {
        Traffic t = stuck(new Traffic(road));
        Vehicle self = t.vehicles().get(0);
        self.timer = 2; // decide at once
        for (int i = 0; i < 15 * 10; i++) {
            t.act();
            t.step(1 / 15.0);
        }
        assertThat(self.crashed()).isFalse();
        assertThat(self.lane()).isNotEqualTo(1);
        assertThat(Math.abs(road.lateral(self.lane(), self.y()))).isLessThan(0.2);
        assertThat(self.x()).isGreaterThan(t.vehicles().get(1).x());
    }

    @Test
    void followerSettlesAtTheIdmEquilibriumGapBehindASlowLeader() {
        Road single = new Road(1, 4, 10_000, 30);
        Traffic t = new Traffic(single);
        Vehicle follower = Vehicle.idm(0, single, 0, 0, 25, 4);
        Vehicle leader = Vehicle.idm(1, single, 60, 0, 15, 4);
        t.add(follower);
        t.add(leader);
        for (int i = 0; i < 15 * 60; i++) {
            t.act();
            t.step(1 / 15.0);
        }
        // Equilibrium: (d*/d)^2 = 1 - (15/25)^4 with d* = 10 + 15 * 1.5, so d = 34.84 m.
        double gap = (Idm.DISTANCE_WANTED + 15 * Idm.TIME_WANTED) / Math.sqrt(1 - Math.pow(15 / 25.0, 4));
        assertThat(follower.crashed()).isFalse();
        assertThat(follower.speed()).isCloseTo(15, within(0.05));
        assertThat(leader.x() - follower.x()).isCloseTo(gap, within(0.5));
    }
}
