package kiban.health.cell;

/**
 * Turns the stream of readings into the covariates a health model reads: exponential moving
 * averages of the vibration and temperature taken while the machine runs (a stopped machine's
 * sensors say nothing about wear), restarted whenever the machine goes down for service, since
 * service resets the wear the averages track.
 */
public final class HealthFilter {

    /** Weight of the newest reading: about a ten-minute window, which averages the vibration noise down threefold. */
    public static final double DEFAULT_SMOOTHING = 0.1;
    /** Running readings after a service before the averages are trusted. */
    public static final int DEFAULT_WARM_UP = 10;

    private final double smoothing;
    private final int warmUp;
    private double vibration;
    private double temperature;
    private int samples;

    public HealthFilter() {
        this(DEFAULT_SMOOTHING, DEFAULT_WARM_UP);
    }

    public HealthFilter(double smoothing, int warmUp) {
        if (!(smoothing > 0 && smoothing <= 1) || warmUp < 1) {
            throw new IllegalArgumentException("smoothing must be in (0, 1] and warm-up at least 1, got " + smoothing + " and " + warmUp);
        }
        this.smoothing = smoothing;
        this.warmUp = warmUp;
    }

    /** Forgets everything, as after a reset of the machine. */
    public void reset() {
        samples = 0;
        vibration = 0;
        temperature = 0;
    }

    /** Takes one reading and returns the covariates after it. */
    public HealthFeatures update(CellReading r) {
        if (r.down()) {
            reset();
        } else if (r.running()) {
            if (samples == 0) {
                vibration = r.vibrationRms();
                temperature = r.temperature();
            } else {
                vibration += smoothing * (r.vibrationRms() - vibration);
                temperature += smoothing * (r.temperature() - temperature);
            }
            samples++;
        }
        return features(r);
    }

    private HealthFeatures features(CellReading r) {
        return new HealthFeatures(vibration, temperature, r.minutesSinceService(), samples >= warmUp, r.running());
    }
}
