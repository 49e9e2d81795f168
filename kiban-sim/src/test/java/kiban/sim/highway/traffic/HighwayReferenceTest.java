package kiban.sim.highway.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The traffic model against highway-env itself: the final states below were printed by
 * highway-env 07b824f9's own {@code Road}, {@code Vehicle} and {@code IDMVehicle} (numpy 2.4)
 * for the scenes built here (scripts {@code highway-reference.py} and {@code highway-reference-2.py}
 * in this package's test resources). They exercise IDM following, MOBIL lane changes and aborts,
 * the lane controller, a steering ego, and crashes with highway-env's impact push.
 */
class HighwayReferenceTest {

    /** x, lane, speed, delta of each IDM vehicle. */
    private static final double[][] SCENE = {
        {80, 1, 18, 4.0}, {75, 2, 22, 3.7}, {120, 1, 21, 4.3}, {60, 0, 24, 3.9}, {140, 3, 20, 4.1},
        {30, 2, 27, 3.6}, {100, 0, 19, 4.4}, {160, 2, 23, 3.8}, {10, 1, 26, 4.2}, {200, 1, 15, 4.0},
    };

    /** x, y, heading, speed, lane, crashed of the ego then each IDM vehicle, from highway-env. */
    private static final double[][] EXPECTED = {
            {144.78080223083606, 4.0, 0.0, 5.267487632389578e-07, 1, 1},
            {149.78080223083606, 4.0, 0.0, 3.242788825586484e-07, 1, 1},
            {499.57977549613116, 8.0, 0.0, 21.365284213592606, 2, 0},
            {461.8976955400686, 4.0, 0.0, 15.25829763518154, 1, 0},
            {431.73795927669306, 2.572060762703062e-06, -3.8848032944324464e-07, 18.73789245605361, 0, 0},
            {539.999999999998, 12.0, 0.0, 20.0, 3, 0},
            {484.4752575166056, 11.999999999999996, 4.585100390054597e-16, 21.057128764847324, 3, 0},
            {479.99999999999864, 0.0, 0.0, 19.0, 0, 0},
            {620.0000000000022, 8.0, 0.0, 23.0, 2, 0},
            {442.3239147614223, 7.999999999999998, 2.3874652278328244e-16, 21.497905840201014, 2, 0},
            {500.0, 4.0, 0.0, 15.0, 1, 0},
    };

    /** Scene 2: 30 vehicles for 40 s; the ego drifts a lane left and ends up in a side collision. */
    private static final double[][] EXPECTED_2 = {
        {243.79670091911296, 6.054652815527374, 0.0, 8.27714153572338e-14, 2, 1},
        {788.8279828360181, 3.9999999999999125, 1.3073307116265511e-14, 19.28732879132965, 1, 0},
        {859.712698352989, 12.0, 0.0, 20.029554097861226, 3, 0},
        {238.67903194616918, 8.054652815527374, 0.0, 5.5617107884848097e-14, 2, 1},
        {877.7798218828294, 3.109614014166069e-15, -4.0457836614258866e-16, 21.139791070935182, 0, 0},
        {941.4186857167867, 0.0, 0.0, 21.472117138846382, 0, 0},
        {910.3832657742078, 12.0, 0.0, 20.086431737771765, 3, 0},
        {900.6175868303791, 8.0, 0.0, 19.284011656729813, 2, 0},
        {902.7026893752193, 4.0, 0.0, 19.142463516637015, 1, 0},
        {992.0202716816818, 4.0, 9.952724735236157e-17, 20.772627050492392, 1, 0},
        {986.5364285845751, 12.0, 0.0, 20.338002697297995, 3, 0},
        {975.3736161857872, 8.0, 0.0, 19.20841116750304, 2, 0},
        {1044.508095106138, 4.0, 0.0, 20.782442719467586, 1, 0},
        {1029.2653473573514, 0.0, 0.0, 19.860012350286024, 0, 0},
        {1038.5487354705735, 12.0, 0.0, 20.37805068004095, 3, 0},
        {1028.059933298492, 8.0, 0.0, 19.342763916214093, 2, 0},
        {1117.6629864563558, 4.000000000000002, -2.4575855711037823e-16, 20.81162790080348, 1, 0},
        {1098.0860223736136, 0.0, 0.0, 19.80413351493077, 0, 0},
        {1122.7752438658654, 8.000000000000004, -3.9447651452357854e-16, 21.29520840096333, 2, 0},
        {1189.7001933350043, 8.0, 0.0, 21.95107468550473, 2, 0},
        {1173.6730383849522, 4.0, 0.0, 20.832178931510743, 1, 0},
        {1150.0920494294428, 0.0, 0.0, 19.827444002701366, 0, 0},
        {1159.3063322138726, 12.0, 0.0, 19.691949204054957, 3, 0},
        {1280.1938089356431, 11.798569464955438, 0.02671110246452306, 22.177935085282122, 3, 0},
        {1261.4382376645215, 5.2231048021739594, 0.22031334631836655, 20.995527429054818, 1, 0},
        {1242.4406939541507, 0.0, 0.0, 20.011572408175113, 0, 0},
        {1345.1029225852553, 12.0, 0.0, 22.800380934705554, 3, 0},
        {1342.0000000000161, 8.0, 0.0, 22.0, 2, 0},
        {1319.0000000000102, 4.0, 0.0, 21.0, 1, 0},
        {1295.9999999999989, 0.0, 0.0, 20.0, 0, 0},
        {1553.000000000009, 12.0, 0.0, 26.0, 3, 0},
    };

    @Test
    void matchesHighwayEnvOnABusierSceneAfterFortySeconds() {
        Road road = Road.HIGHWAY;
        Traffic t = new Traffic(road);
        Vehicle ego = Vehicle.ego(0, road, 0, 8, 0, 25);
        t.add(ego);
        for (int i = 0; i < 30; i++) {
            Vehicle v = Vehicle.idm(t.vehicles().size(), road, 20.0 + 17.0 * i, 4.0 * ((i * 7) % 4),
                    20.0 + (i * 13) % 7, 3.5 + (i % 5) * 0.25);
            t.add(v);
        }
        for (int k = 0; k < 600; k++) {
            if (k % 3 == 0) {
                int step = k / 3;
                double acc = step < 20 ? 1.0 : step < 26 ? 0.0 : step < 60 ? 0.5 : -0.5;
                double steer = step >= 20 && step < 23 ? -0.03125 : step >= 23 && step < 26 ? 0.03125 : 0.0;
                ego.act(acc, steer);
            }
            t.act();
            t.step(1 / 15.0);
        }
        assertMatches(t, EXPECTED_2);
    }

    @Test
    void matchesHighwayEnvAfterTwentySeconds() {
        Road road = Road.HIGHWAY;
        Traffic t = new Traffic(road);
        Vehicle ego = Vehicle.ego(0, road, 50, 4, 0, 25);
        t.add(ego);
        for (double[] s : SCENE) {
            t.add(Vehicle.idm(t.vehicles().size(), road, s[0], 4 * s[1], s[2], s[3]));
        }
        ego.act(0.5, 0);
        for (int k = 0; k < 300; k++) {
            t.act();
            t.step(1 / 15.0);
        }
        assertMatches(t, EXPECTED);
    }

    private static void assertMatches(Traffic t, double[][] expected) {
        for (int i = 0; i < expected.length; i++) {
            Vehicle v = t.vehicles().get(i);
            double[] e = expected[i];
            assertThat(v.x()).as("x of vehicle %d", i).isCloseTo(e[0], within(1e-9));
            assertThat(v.y()).as("y of vehicle %d", i).isCloseTo(e[1], within(1e-9));
            assertThat(v.heading()).as("heading of vehicle %d", i).isCloseTo(e[2], within(1e-9));
            assertThat(v.speed()).as("speed of vehicle %d", i).isCloseTo(e[3], within(1e-9));
            assertThat(v.lane()).as("lane of vehicle %d", i).isEqualTo((int) e[4]);
            assertThat(v.crashed()).as("crashed of vehicle %d", i).isEqualTo(e[5] == 1);
        }
    }
}
