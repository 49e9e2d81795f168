package kiban.sim.highway.traffic;

/**
 * The low-level controllers of highway-env's {@code ControlledVehicle}: a lateral position P loop
 * feeding a heading P loop, turned into a steering angle through the bicycle model's slip angle.
 */
public final class LaneController {

    public static final double TAU_ACC = 0.6;
    public static final double TAU_HEADING = 0.2;
    public static final double TAU_LATERAL = 0.6;
    public static final double TAU_PURSUIT = 0.5 * TAU_HEADING;
    public static final double KP_A = 1 / TAU_ACC;
    public static final double KP_HEADING = 1 / TAU_HEADING;
    public static final double KP_LATERAL = 1 / TAU_LATERAL;
    public static final double MAX_STEERING_ANGLE = Math.PI / 3;

    private LaneController() {}

    /** {@code ControlledVehicle.steering_control} towards the centre of {@code lane}. */
    public static double steering(Vehicle v, Road road, int lane) {
        double lateral = road.lateral(lane, v.y);
        // Straight lanes: the heading at the pursuit point is 0.
        double lateralSpeedCommand = -KP_LATERAL * lateral;
        double headingCommand = Math.asin(Idm.clip(lateralSpeedCommand / Idm.notZero(v.speed), -1, 1));
        double headingRef = Idm.clip(headingCommand, -Math.PI / 4, Math.PI / 4);
        double headingRateCommand = KP_HEADING * wrapToPi(headingRef - v.heading);
        double slip = Math.asin(Idm.clip(Vehicle.LENGTH / 2 / Idm.notZero(v.speed) * headingRateCommand, -1, 1));
        double steering = Math.atan(2 * Math.tan(slip));
        return Idm.clip(steering, -MAX_STEERING_ANGLE, MAX_STEERING_ANGLE);
    }

    /** {@code ControlledVehicle.speed_control}: a P controller on speed. */
    public static double speed(Vehicle v, double targetSpeed) {
        return KP_A * (targetSpeed - v.speed);
    }

    /** highway-env's {@code wrap_to_pi}, with Python's floored modulo. */
    public static double wrapToPi(double a) {
        return Vehicle.pythonMod(a + Math.PI, 2 * Math.PI) - Math.PI;
    }
}
