package kiban.sim.factory;

import java.util.SplittableRandom;

/**
 * The cell's constants and the pure functions of its physics; one control step is one simulated
 * minute. The numbers and their sources are argued in {@code package-info.java}.
 */
final class CellModel {

    private CellModel() {}

    /** Minutes of plant time per control step. */
    static final double MINUTES_PER_STEP = 1.0;
    /** Five days of 24/7 operation (three shifts a day), one step a minute. */
    static final int EPISODE_STEPS = 5 * 24 * 60;

    /** Ideal cycle time at nominal machine speed: one part a minute, 60 parts an hour. */
    static final double IDEAL_CYCLE_MINUTES = 1.0;
    /** Mean part arrivals a minute at nominal conveyor speed; a little above the machine's rate so it is the bottleneck. */
    static final double ARRIVALS_PER_MINUTE = 1.1;
    static final int BUFFER_CAPACITY = 100;

    /** Mean wear gained per running minute at nominal speed: reaching 1.0 takes a day of running. */
    static final double WEAR_PER_MINUTE = 1.0 / 1440;
    /** Gamma-process shape per running minute; a day's wear then has a coefficient of variation of 1/sqrt(0.008 * 1440) = 0.29. */
    static final double WEAR_SHAPE_PER_MINUTE = 0.008;
    /** Wear rate grows as speed cubed: 1.5x speed wears 3.4x as fast, 2.25x as much per part. */
    static final double WEAR_SPEED_EXPONENT = 3.0;
    /** Wear at which the machine breaks for certain. */
    static final double WEAR_LIMIT = 1.2;

    /** Random failures that wear does not explain (jams, electrics): one a week of running. */
    static final double BACKGROUND_HAZARD = 1.0 / (7 * 1440);
    /** Wear-driven hazard at wear 1.0: a failure expected within the hour. */
    static final double WEAR_HAZARD_AT_ONE = 1.0 / 60;
    /** How fast the wear hazard grows: it falls e-fold for each 1/8 of wear below 1.0. */
    static final double WEAR_HAZARD_STEEPNESS = 8.0;

    static final double REPAIR_MEDIAN_MINUTES = 240;
    static final double REPAIR_LOG_SIGMA = 0.4;
    static final double MAINTENANCE_MEDIAN_MINUTES = 60;
    static final double MAINTENANCE_LOG_SIGMA = 0.3;
    /** Preventive maintenance is imperfect: it leaves wear drawn uniformly below this. */
    static final double MAINTENANCE_RESIDUAL_WEAR = 0.05;
    /** Episodes start with wear drawn uniformly below this, so the policy must read the state. */
    static final double INITIAL_WEAR_MAX = 0.4;

    /** RMS velocity of a new machine at nominal speed lies in this range (unit-to-unit spread), ISO 10816 class I zone A/B. */
    static final double VIBRATION_BASE_MIN = 0.5;
    static final double VIBRATION_BASE_MAX = 0.9;
    /** Vibration added by wear, times wear^1.5: about 4.5 mm/s (zone C/D boundary) at wear 0.5, 11 mm/s at wear 1.0. */
    static final double VIBRATION_WEAR_GAIN = 10.7;
    static final double VIBRATION_NOISE = 0.3;
    /** Reading of a stopped machine: the floor of the sensor. */
    static final double VIBRATION_STOPPED = 0.1;

    static final double AMBIENT_C = 25;
    static final double TEMP_SPEED_GAIN = 25;
    static final double TEMP_WEAR_GAIN = 35;
    static final double TEMP_TIME_CONSTANT_MINUTES = 20;
    static final double TEMP_NOISE = 0.5;
    /** A bearing this hot trips the machine: the failure a worn machine run fast ends in. */
    static final double TRIP_TEMPERATURE_C = 110;

    /** Chance that a running minute is lost to a minor stop (a jam cleared by the operator): the performance loss. */
    static final double MINOR_STOP_BASE = 0.02;
    static final double MINOR_STOP_WEAR_GAIN = 0.08;

    static final double SCRAP_BASE = 0.01;
    static final double SCRAP_WEAR_GAIN = 0.15;

    /** Reward: each good part is worth 1; a minute under corrective repair costs this on top of the lost output. */
    static final double FAILED_MINUTE_COST = 0.5;
    /** A minute of planned maintenance costs less: crew and parts are ready. */
    static final double MAINTENANCE_MINUTE_COST = 0.2;

    /** The Gamma-process wear gained in one running minute at {@code speed}, scaled by the episode's load factor. */
    static double wearIncrement(SplittableRandom random, double speed, double loadScale) {
        double load = speed * speed * speed; // WEAR_SPEED_EXPONENT = 3, spelled out as it runs every step
        double shape = WEAR_SHAPE_PER_MINUTE * load * MINUTES_PER_STEP;
        return Sampling.gamma(random, shape, WEAR_PER_MINUTE / WEAR_SHAPE_PER_MINUTE) * loadScale;
    }

    /** Failure hazard per running minute: a background rate plus an exponential proportional-hazards term in wear. */
    static double hazard(double wear, double speed) {
        return (BACKGROUND_HAZARD + WEAR_HAZARD_AT_ONE * Math.exp(WEAR_HAZARD_STEEPNESS * (wear - 1))) * speed;
    }

    /** Mean RMS velocity of a running machine: wear and speed both shake it. */
    static double vibrationMean(double base, double wear, double speed) {
        return (base + VIBRATION_WEAR_GAIN * wear * Math.sqrt(wear)) * (0.4 + 0.6 * speed);
    }

    /** The temperature a machine settles at: ambient when stopped, hotter with speed and wear when running. */
    static double temperatureTarget(double wear, double speed, boolean running) {
        return running ? AMBIENT_C + speed * (TEMP_SPEED_GAIN + TEMP_WEAR_GAIN * wear) : AMBIENT_C;
    }

    /** Probability that a running minute is lost to a minor stop; worn machines jam more. */
    static double minorStopProbability(double wear) {
        return MINOR_STOP_BASE + MINOR_STOP_WEAR_GAIN * wear;
    }

    /** Probability that a finished part is scrap: worn, fast machines make more. */
    static double scrapProbability(double wear, double speed) {
        return Math.min(1, SCRAP_BASE + SCRAP_WEAR_GAIN * wear * wear * speed);
    }
}
