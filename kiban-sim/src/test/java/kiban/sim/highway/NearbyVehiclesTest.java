package kiban.sim.highway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import kiban.sim.highway.traffic.Road;
import kiban.sim.highway.traffic.Traffic;
import kiban.sim.highway.traffic.Vehicle;
import org.junit.jupiter.api.Test;

class NearbyVehiclesTest {

    /**
     * highway-env's {@code close_vehicles_to(ego, 200, count=5, see_behind=False)} rows relative to
     * the ego at 10 s of the second reference scene (see {@code HighwayReferenceTest}); one vehicle
     * 4.3 m behind is kept, vehicles further behind are hidden.
     */
    private static final double[][] EXPECTED = {
        {-4.291080677915772, 2.0, -0.826588295027993, 0.0},
        {15.301252872442973, 5.945347184472626, 18.110676290568012, 0.0},
        {36.725966111205054, -2.0546528155273744, 17.159787953412547, 0.0},
        {62.303895815413256, -6.054652815527374, 18.573992904491575, 0.0},
        {69.40318476348025, 5.945347184472626, 17.621614731519937, 0.0},
    };

    @Test
    void rowsMatchHighwayEnvKinematics() {
        Road road = Road.HIGHWAY;
        Traffic t = new Traffic(road);
        Vehicle ego = Vehicle.ego(0, road, 0, 8, 0, 25);
        t.add(ego);
        for (int i = 0; i < 30; i++) {
            t.add(Vehicle.idm(t.vehicles().size(), road, 20.0 + 17.0 * i, 4.0 * ((i * 7) % 4),
                    20.0 + (i * 13) % 7, 3.5 + (i % 5) * 0.25));
        }
        for (int k = 0; k < 150; k++) {
            if (k % 3 == 0) {
                int step = k / 3;
                double acc = step < 20 ? 1.0 : step < 26 ? 0.0 : 0.5;
                double steer = step >= 20 && step < 23 ? -0.03125 : step >= 23 && step < 26 ? 0.03125 : 0.0;
                ego.act(acc, steer);
            }
            t.act();
            t.step(1 / 15.0);
        }
        double[] out = new double[25];
        NearbyVehicles.write(t.vehicles(), ego, out, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(out[i * 5]).isEqualTo(1.0);
            for (int k = 0; k < 4; k++) {
                assertThat(out[i * 5 + 1 + k]).as("row %d column %d", i, k + 1).isCloseTo(EXPECTED[i][k], within(1e-9));
            }
        }
    }

    @Test
    void missingRowsAreZeroAndValuesAreClipped() {
        Road road = Road.HIGHWAY;
        Traffic t = new Traffic(road);
        Vehicle ego = Vehicle.ego(0, road, 0, 0, 0, -40);
        t.add(ego);
        t.add(Vehicle.idm(1, road, 150, 20, 45, 4)); // 20 m to the side, 85 m/s faster: clipped to 16 and 80
        t.add(Vehicle.idm(2, road, -9, 4, 20, 4)); // just inside the 10 m behind limit
        t.add(Vehicle.idm(3, road, -11, 4, 20, 4)); // hidden behind
        t.add(Vehicle.idm(4, road, 199, 50, 20, 4)); // farther than 200 m in a straight line
        double[] out = new double[25];
        java.util.Arrays.fill(out, 7.0);
        NearbyVehicles.write(t.vehicles(), ego, out, 0);
        assertThat(out).startsWith(1, -9, 4, 60, 0, 1, 150, 16, 80, 0);
        for (int i = 10; i < 25; i++) {
            assertThat(out[i]).isZero();
        }
    }
}
