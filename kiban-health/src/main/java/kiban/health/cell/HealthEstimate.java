package kiban.health.cell;

/**
 * A health model's view of the machine at one minute.
 *
 * @param hazardPerMinute      the chance of a failure in the next running minute (background plus wear)
 * @param wearHazardPerMinute  the part of it that wear explains, the part maintenance can remove
 * @param horizonMinutes       the horizon {@code failureProbability} looks ahead
 * @param failureProbability   the chance of a failure within the horizon, with the wear term growing at the fitted drift
 * @param rulMinutes           median remaining running minutes before a failure, capped at {@link HazardModel#RUL_CAP_MINUTES}
 */
public record HealthEstimate(double hazardPerMinute, double wearHazardPerMinute, double horizonMinutes,
        double failureProbability, double rulMinutes) {}
