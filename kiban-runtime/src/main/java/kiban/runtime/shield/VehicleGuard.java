package kiban.runtime.shield;

import java.util.List;
import kiban.core.embodiment.FeatureSpec;

/**
 * A vehicle's minimum time-to-collision and separation, from highway-env's Kinematics rows of
 * nearby vehicles (presence, x, y, vx, vy relative to the ego, ego heading along x). A vehicle
 * counts when it is ahead and overlaps the ego laterally; its gap is the bumper-to-bumper distance.
 * On a breach the longitudinal command is replaced by full braking (the action feature's low).
 */
final class VehicleGuard implements ShieldRule {

    /** The observation feature this guard reads. */
    static final String NEARBY = "nearby_vehicles";
    /** The action feature it brakes with. */
    static final String ACCELERATION = "acceleration";
    /** highway-env's vehicle size (Vehicle.LENGTH, Vehicle.WIDTH). */
    static final double VEHICLE_LENGTH = 5.0;
    static final double VEHICLE_WIDTH = 2.0;
    private static final List<String> COLUMNS = List.of("presence", "x", "y", "vx", "vy");

    private final int offset;
    private final int rows;
    private final int actionIndex;
    private final double brake;
    private final double minTimeToCollision;
    private final double minSeparation;
    private String detail = "";

    private VehicleGuard(int offset, int rows, int actionIndex, double brake, double minTimeToCollision, double minSeparation) {
        this.offset = offset;
        this.rows = rows;
        this.actionIndex = actionIndex;
        this.brake = brake;
        this.minTimeToCollision = minTimeToCollision;
        this.minSeparation = minSeparation;
    }

    /** The guard, or null with the reason in {@code why[0]} when the machine does not observe what it needs. */
    static VehicleGuard create(List<FeatureSpec> action, List<FeatureSpec> observation, double minTtc, double minSeparation,
            String[] why) {
        int offset = 0;
        FeatureSpec nearby = null;
        for (FeatureSpec f : observation) {
            if (f.name().equals(NEARBY)) {
                nearby = f;
                break;
            }
            offset += f.size();
        }
        int actionIndex = 0;
        FeatureSpec accel = null;
        for (FeatureSpec f : action) {
            if (f.name().equals(ACCELERATION) && f.size() == 1) {
                accel = f;
                break;
            }
            actionIndex += f.size();
        }
        if (nearby == null || nearby.shape().size() != 2 || nearby.shape().get(1) != COLUMNS.size()) {
            why[0] = "the machine observes no '" + NEARBY + "' feature of rows " + COLUMNS;
            return null;
        }
        if (accel == null) {
            why[0] = "the machine has no scalar '" + ACCELERATION + "' action feature to brake with";
            return null;
        }
        return new VehicleGuard(offset, nearby.shape().get(0), actionIndex, accel.low().getFirst(), minTtc, minSeparation);
    }

    @Override
    public void apply(ShieldCycle c) {
        Reason r = check(c.observation, c.target);
        if (r != null) {
            c.flag(r, detail);
        }
    }

    /**
     * Brakes {@code command} in place when a vehicle ahead is too close or closing too fast, and
     * returns the reason, or null when the way is clear. Non-finite rows count as a breach.
     */
    Reason check(double[] observation, double[] command) {
        Reason worst = null;
        for (int r = 0; r < rows; r++) {
            int o = offset + r * COLUMNS.size();
            double presence = observation[o];
            double dx = observation[o + 1];
            double dy = observation[o + 2];
            double dvx = observation[o + 3];
            if (!Double.isFinite(presence) || !Double.isFinite(dx) || !Double.isFinite(dy) || !Double.isFinite(dvx)) {
                detail = "vehicle " + r + " not finite";
                worst = Reason.SEPARATION;
                break;
            }
            if (presence < 0.5 || dx <= 0 || Math.abs(dy) >= VEHICLE_WIDTH) {
                continue;
            }
            double gap = dx - VEHICLE_LENGTH;
            if (!Double.isNaN(minSeparation) && gap < minSeparation) {
                detail = "vehicle " + r + " gap " + round(gap) + " m";
                worst = Reason.SEPARATION;
                break;
            }
            double closing = -dvx;
            if (!Double.isNaN(minTimeToCollision) && closing > 0 && gap / closing < minTimeToCollision) {
                detail = "vehicle " + r + " ttc " + round(gap / closing) + " s";
                worst = Reason.TIME_TO_COLLISION;
            }
        }
        if (worst != null) {
            command[actionIndex] = Math.min(command[actionIndex], brake);
        }
        return worst;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
