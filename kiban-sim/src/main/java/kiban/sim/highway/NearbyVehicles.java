package kiban.sim.highway;

import java.util.List;
import kiban.sim.highway.traffic.Vehicle;

/**
 * highway-env's Kinematics observation of other vehicles, in metres and m/s rather than
 * normalised: the {@link HighwaySpecs#OBSERVED_VEHICLES} vehicles within 200 m and not more than
 * 10 m behind ({@code see_behind=False}), sorted by |longitudinal distance| (stable, so ties keep
 * road order), each as presence, x, y, vx, vy relative to the ego, clipped to the spec's ranges;
 * missing rows are zeros.
 */
final class NearbyVehicles {

    static final double PERCEPTION_DISTANCE = 5 * Vehicle.MAX_SPEED;
    static final double BEHIND_LIMIT = -2 * Vehicle.LENGTH;

    private NearbyVehicles() {}

    /** Writes the rows into {@code out} from {@code offset}. */
    static void write(List<Vehicle> vehicles, Vehicle ego, double[] out, int offset) {
        int n = HighwaySpecs.OBSERVED_VEHICLES;
        Vehicle[] best = new Vehicle[n];
        double[] key = new double[n];
        int count = 0;
        for (Vehicle v : vehicles) {
            if (v == ego) {
                continue;
            }
            double dx = v.x() - ego.x();
            double dy = v.y() - ego.y();
            if (!(Math.sqrt(dx * dx + dy * dy) < PERCEPTION_DISTANCE) || !(BEHIND_LIMIT < dx)) {
                continue;
            }
            double k = Math.abs(dx);
            if (count == n && !(k < key[n - 1])) {
                continue;
            }
            int pos = count == n ? n - 1 : count++;
            while (pos > 0 && key[pos - 1] > k) {
                best[pos] = best[pos - 1];
                key[pos] = key[pos - 1];
                pos--;
            }
            best[pos] = v;
            key[pos] = k;
        }
        java.util.Arrays.fill(out, offset, offset + n * HighwaySpecs.COLUMNS.size(), 0.0);
        for (int i = 0; i < count; i++) {
            Vehicle v = best[i];
            int o = offset + i * HighwaySpecs.COLUMNS.size();
            double[] row = {1, v.x() - ego.x(), v.y() - ego.y(), v.vx() - ego.vx(), v.vy() - ego.vy()};
            for (int k = 0; k < row.length; k++) {
                out[o + k] = Math.max(HighwaySpecs.ROW_LOW[k], Math.min(HighwaySpecs.ROW_HIGH[k], row[k]));
            }
        }
    }
}
