package kiban.sim.highway.traffic;

/**
 * A vehicle as highway-env's {@code Vehicle}: a kinematic bicycle integrated with Euler steps,
 * holding its last action. Traffic vehicles also carry the {@code IDMVehicle} behaviour state
 * (target speed and lane, IDM exponent, lane-change timer); the ego has none and so, as a plain
 * highway-env {@code Vehicle}, a target speed of 0 when other drivers reason about it.
 */
public final class Vehicle {

    public static final double LENGTH = 5.0;
    public static final double WIDTH = 2.0;
    public static final double MAX_SPEED = 40.0;
    public static final double MIN_SPEED = -40.0;
    /** The diagonal; two boxes whose centres are farther apart than this (plus travel) cannot touch. */
    static final double DIAGONAL = Math.sqrt(LENGTH * LENGTH + WIDTH * WIDTH);

    final int id;
    final boolean driven;
    double x;
    double y;
    double heading;
    double speed;
    double steering;
    double acceleration;
    boolean crashed;
    boolean hasImpact;
    double impactX;
    double impactY;
    int lane;
    double targetSpeed;
    int targetLane;
    double delta = Idm.DELTA;
    double timer;

    private Vehicle(int id, boolean driven, Road road, double x, double y, double heading, double speed) {
        this.id = id;
        this.driven = driven;
        this.x = x;
        this.y = y;
        this.heading = heading;
        this.speed = speed;
        this.lane = road.closestLane(y);
        this.targetLane = lane;
    }

    /** A vehicle driven from outside (the ego): no target speed, no lane-change logic. */
    public static Vehicle ego(int id, Road road, double x, double y, double heading, double speed) {
        return new Vehicle(id, false, road, x, y, heading, speed);
    }

    /**
     * An IDM/MOBIL traffic vehicle; its target speed is its initial speed and its lane-change
     * timer starts at {@code (x + y) * pi mod LANE_CHANGE_DELAY}, as in {@code IDMVehicle}.
     */
    public static Vehicle idm(int id, Road road, double x, double y, double speed, double delta) {
        Vehicle v = new Vehicle(id, true, road, x, y, 0.0, speed);
        v.targetSpeed = speed;
        v.delta = delta;
        v.timer = pythonMod((x + y) * Math.PI, Mobil.LANE_CHANGE_DELAY);
        return v;
    }

    /** Stores the action to repeat, as {@code Vehicle.act}. */
    public void act(double acc, double steer) {
        this.acceleration = acc;
        this.steering = steer;
    }

    /** One Euler step of the bicycle model ({@code Vehicle.step}, with {@code IDMVehicle}'s timer). */
    void step(double dt, Road road) {
        if (driven) {
            timer += dt;
        }
        if (crashed) {
            steering = 0;
            acceleration = -speed;
        }
        if (speed > MAX_SPEED) {
            acceleration = Math.min(acceleration, MAX_SPEED - speed);
        } else if (speed < MIN_SPEED) {
            acceleration = Math.max(acceleration, MIN_SPEED - speed);
        }
        double beta = Math.atan(0.5 * Math.tan(steering));
        x += speed * Math.cos(heading + beta) * dt;
        y += speed * Math.sin(heading + beta) * dt;
        if (hasImpact) {
            x += impactX;
            y += impactY;
            crashed = true;
            hasImpact = false;
        }
        heading += speed * Math.sin(beta) / (LENGTH / 2) * dt;
        speed += acceleration * dt;
        lane = road.closestLane(y);
    }

    static double pythonMod(double a, double m) {
        double r = a % m;
        return r < 0 ? r + m : r;
    }

    public int id() { return id; }
    public boolean driven() { return driven; }
    public double x() { return x; }
    public double y() { return y; }
    public double heading() { return heading; }
    public double speed() { return speed; }
    public double steering() { return steering; }
    public double acceleration() { return acceleration; }
    public boolean crashed() { return crashed; }
    /** The closest lane, updated after every step. */
    public int lane() { return lane; }
    /** The lane the vehicle is steering to; equal to {@link #lane()} unless changing lanes. */
    public int targetLane() { return targetLane; }
    public double targetSpeed() { return targetSpeed; }
    public double delta() { return delta; }
    public double vx() { return speed * Math.cos(heading); }
    public double vy() { return speed * Math.sin(heading); }
}
