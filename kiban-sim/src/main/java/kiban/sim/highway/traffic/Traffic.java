package kiban.sim.highway.traffic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The vehicles on a road and one simulation substep of highway-env's {@code Road}: every traffic
 * vehicle decides ({@code road.act}), then every vehicle moves and each pair is checked for
 * collision in list order ({@code road.step}). The ego, if any, is driven from outside through
 * {@link Vehicle#act}.
 */
public final class Traffic {

    private final Road road;
    private final List<Vehicle> vehicles = new ArrayList<>();
    private final List<Vehicle> view = Collections.unmodifiableList(vehicles);

    public Traffic(Road road) {
        this.road = road;
    }

    public Road road() {
        return road;
    }

    /** All vehicles in insertion order (the order decisions and collision checks run in). */
    public List<Vehicle> vehicles() {
        return view;
    }

    public void add(Vehicle v) {
        vehicles.add(v);
    }

    /** Every traffic vehicle chooses its action from the current state. */
    public void act() {
        for (Vehicle v : vehicles) {
            if (v.driven) {
                IdmDriver.act(this, v);
            }
        }
    }

    /** Moves every vehicle by {@code dt} and resolves collisions. */
    public void step(double dt) {
        for (Vehicle v : vehicles) {
            v.step(dt, road);
        }
        int n = vehicles.size();
        for (int i = 0; i < n; i++) {
            Vehicle a = vehicles.get(i);
            for (int j = i + 1; j < n; j++) {
                handleCollision(a, vehicles.get(j), dt);
            }
        }
    }

    /**
     * {@code Road.neighbour_vehicles}: the nearest vehicles ahead (at or beyond v's longitudinal
     * position) and behind, among those on {@code lane} with a 1 m lateral margin.
     */
    public Neighbours neighbours(Vehicle v, int lane) {
        double s = v.x;
        Vehicle front = null;
        Vehicle rear = null;
        double sFront = 0;
        double sRear = 0;
        for (Vehicle u : vehicles) {
            if (u == v || !road.onLane(lane, u.x, u.y, 1.0)) {
                continue;
            }
            double su = u.x;
            if (s <= su && (front == null || su <= sFront)) {
                sFront = su;
                front = u;
            }
            if (su < s && (rear == null || su > sRear)) {
                sRear = su;
                rear = u;
            }
        }
        return new Neighbours(front, rear);
    }

    /**
     * {@code RoadObject.handle_collisions}: boxes that will overlap within {@code dt} at constant
     * velocity are pushed apart (and marked crashed) at the next step; boxes that overlap now crash.
     */
    static void handleCollision(Vehicle a, Vehicle b, double dt) {
        double dx = b.x - a.x;
        double dy = b.y - a.y;
        if (Math.sqrt(dx * dx + dy * dy) > Vehicle.DIAGONAL + a.speed * dt) {
            return;
        }
        Collision.Contact c = Collision.test(
                Collision.corners(a.x, a.y, a.heading, Vehicle.LENGTH, Vehicle.WIDTH),
                Collision.corners(b.x, b.y, b.heading, Vehicle.LENGTH, Vehicle.WIDTH),
                a.vx() * dt, a.vy() * dt, b.vx() * dt, b.vy() * dt);
        if (c.willIntersect()) {
            a.hasImpact = true;
            a.impactX = c.translationX() / 2;
            a.impactY = c.translationY() / 2;
            b.hasImpact = true;
            b.impactX = -c.translationX() / 2;
            b.impactY = -c.translationY() / 2;
        }
        if (c.intersecting()) {
            a.crashed = true;
            b.crashed = true;
        }
    }
}
