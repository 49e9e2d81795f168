package kiban.sim.highway.traffic;

/**
 * The Intelligent Driver Model as highway-env's {@code IDMVehicle.acceleration}: the exponent is
 * the deciding driver's own (a driver judges others with its own DELTA), and a vehicle without a
 * target speed (the ego) counts as wanting 0 m/s, which {@code not_zero} turns into 0.01 m/s.
 */
public final class Idm {

    public static final double ACC_MAX = 6.0;
    public static final double COMFORT_ACC_MAX = 3.0;
    public static final double COMFORT_ACC_MIN = -5.0;
    public static final double DISTANCE_WANTED = 5.0 + Vehicle.LENGTH;
    public static final double TIME_WANTED = 1.5;
    public static final double DELTA = 4.0;
    public static final double DELTA_MIN = 3.5;
    public static final double DELTA_MAX = 4.5;

    private Idm() {}

    /**
     * The IDM acceleration of {@code self} behind {@code front} (null: free road), judged with
     * exponent {@code delta}; 0 where {@code self} is null, as highway-env.
     */
    public static double acceleration(double delta, Vehicle self, Vehicle front, Road road) {
        if (self == null) {
            return 0;
        }
        double target = clip(self.targetSpeed, 0, road.speedLimit());
        double acc = COMFORT_ACC_MAX * (1 - Math.pow(Math.max(self.speed, 0) / Math.abs(notZero(target)), delta));
        if (front != null) {
            double d = front.x - self.x;
            double ratio = desiredGap(self, front) / notZero(d);
            acc -= COMFORT_ACC_MAX * ratio * ratio;
        }
        return acc;
    }

    /** d* = d0 + v T + v dv / (2 sqrt(ab)), with dv the closing speed projected on self's heading. */
    public static double desiredGap(Vehicle self, Vehicle front) {
        double ab = -COMFORT_ACC_MAX * COMFORT_ACC_MIN;
        double cos = Math.cos(self.heading);
        double sin = Math.sin(self.heading);
        double dv = (self.vx() - front.vx()) * cos + (self.vy() - front.vy()) * sin;
        return DISTANCE_WANTED + self.speed * TIME_WANTED + self.speed * dv / (2 * Math.sqrt(ab));
    }

    /** highway-env's {@code utils.not_zero} with eps 0.01. */
    static double notZero(double v) {
        if (Math.abs(v) > 1e-2) {
            return v;
        }
        return v >= 0 ? 1e-2 : -1e-2;
    }

    static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
