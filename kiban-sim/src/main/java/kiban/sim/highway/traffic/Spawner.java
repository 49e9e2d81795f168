package kiban.sim.highway.traffic;

import java.util.SplittableRandom;

/**
 * Places vehicles as highway-env's {@code Vehicle.create_random}: a uniform lane, and a position
 * one random offset ahead of the frontmost vehicle so far, the offset growing with speed and
 * shrinking with the number of lanes.
 */
public final class Spawner {

    private final Traffic traffic;
    private final SplittableRandom random;

    public Spawner(Traffic traffic, SplittableRandom random) {
        this.traffic = traffic;
        this.random = random;
    }

    /** The ego: random lane, the given speed, spaced by {@code spacing}. */
    public Vehicle ego(double speed, double spacing) {
        int lane = random.nextInt(traffic.road().lanes());
        double x = nextX(speed, spacing);
        Vehicle v = Vehicle.ego(traffic.vehicles().size(), traffic.road(), x, traffic.road().laneCenter(lane), 0.0, speed);
        traffic.add(v);
        return v;
    }

    /**
     * An IDM vehicle: random lane, speed U(0.7, 0.8) x speed limit, then
     * {@code randomize_behavior}'s exponent U(3.5, 4.5).
     */
    public Vehicle idm(double spacing) {
        Road road = traffic.road();
        int lane = random.nextInt(road.lanes());
        double speed = uniform(0.7 * road.speedLimit(), 0.8 * road.speedLimit());
        double x = nextX(speed, spacing);
        double delta = uniform(Idm.DELTA_MIN, Idm.DELTA_MAX);
        Vehicle v = Vehicle.idm(traffic.vehicles().size(), road, x, road.laneCenter(lane), speed, delta);
        traffic.add(v);
        return v;
    }

    private double nextX(double speed, double spacing) {
        double offset = spacing * (12 + 1.0 * speed) * Math.exp(-5.0 / 40 * traffic.road().lanes());
        double x0;
        if (traffic.vehicles().isEmpty()) {
            x0 = 3 * offset;
        } else {
            x0 = Double.NEGATIVE_INFINITY;
            for (Vehicle v : traffic.vehicles()) {
                x0 = Math.max(x0, v.x);
            }
        }
        return x0 + offset * uniform(0.9, 1.1);
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
