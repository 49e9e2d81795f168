package kiban.sim.highway.traffic;

/**
 * MOBIL lane-change decisions as highway-env's {@code IDMVehicle.mobil} (no route): a change is
 * refused if it makes the new follower brake harder than {@link #LANE_CHANGE_MAX_BRAKING_IMPOSED},
 * and made only if the driver's own gain (plus politeness times the followers') reaches
 * {@link #LANE_CHANGE_MIN_ACC_GAIN}.
 */
public final class Mobil {

    public static final double POLITENESS = 0.0;
    public static final double LANE_CHANGE_MIN_ACC_GAIN = 0.2;
    public static final double LANE_CHANGE_MAX_BRAKING_IMPOSED = 2.0;
    public static final double LANE_CHANGE_DELAY = 1.0;

    private Mobil() {}

    /** Whether MOBIL recommends that {@code self} moves to {@code lane}. */
    public static boolean recommends(Traffic traffic, Vehicle self, int lane) {
        Road road = traffic.road();
        double d = self.delta;
        Neighbours next = traffic.neighbours(self, lane);
        double newFollowerA = Idm.acceleration(d, next.rear(), next.front(), road);
        double newFollowerPredA = Idm.acceleration(d, next.rear(), self, road);
        if (newFollowerPredA < -LANE_CHANGE_MAX_BRAKING_IMPOSED) {
            return false;
        }
        Neighbours now = traffic.neighbours(self, self.lane);
        double selfPredA = Idm.acceleration(d, self, next.front(), road);
        double selfA = Idm.acceleration(d, self, now.front(), road);
        double oldFollowerA = Idm.acceleration(d, now.rear(), self, road);
        double oldFollowerPredA = Idm.acceleration(d, now.rear(), now.front(), road);
        double gain = selfPredA - selfA
                + POLITENESS * (newFollowerPredA - newFollowerA + oldFollowerPredA - oldFollowerA);
        return gain >= LANE_CHANGE_MIN_ACC_GAIN;
    }
}
