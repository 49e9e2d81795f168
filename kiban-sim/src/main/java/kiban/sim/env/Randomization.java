package kiban.sim.env;

/**
 * Domain randomisation, drawn once per episode from the reset seed so runs stay reproducible.
 * Scales are sampled uniformly in {@code [1 - spread, 1 + spread]}; an env applies the ones its
 * physics has (friction and mass where bodies have them) and the base class applies sensor noise
 * and action latency to every env.
 *
 * @param frictionSpread relative spread of friction coefficients
 * @param massSpread relative spread of body masses
 * @param sensorNoiseStd standard deviation of Gaussian noise on each state element, as a
 *     fraction of that element's range in the observation spec
 * @param actionLatencySteps control steps by which every action is delayed
 * @param render how the camera picture may vary (colours, lighting, view); pixels only
 */
public record Randomization(double frictionSpread, double massSpread, double sensorNoiseStd, int actionLatencySteps,
        RenderRandomization render) {

    public static final Randomization NONE = new Randomization(0, 0, 0, 0);

    /** Physics and sensor randomisation with the camera picture left plain. */
    public Randomization(double frictionSpread, double massSpread, double sensorNoiseStd, int actionLatencySteps) {
        this(frictionSpread, massSpread, sensorNoiseStd, actionLatencySteps, RenderRandomization.NONE);
    }

    public Randomization {
        if (render == null) {
            throw new IllegalArgumentException("render randomisation must be given; RenderRandomization.NONE turns it off");
        }
        if (frictionSpread < 0 || frictionSpread >= 1 || massSpread < 0 || massSpread >= 1) {
            throw new IllegalArgumentException("friction and mass spreads must lie in [0, 1), got "
                    + frictionSpread + " and " + massSpread);
        }
        if (!(sensorNoiseStd >= 0) || actionLatencySteps < 0) {
            throw new IllegalArgumentException("sensor noise and latency must be non-negative, got "
                    + sensorNoiseStd + " and " + actionLatencySteps);
        }
    }

    /** This randomisation with the camera picture varied as {@code r} says. */
    public Randomization withRender(RenderRandomization r) {
        return new Randomization(frictionSpread, massSpread, sensorNoiseStd, actionLatencySteps, r);
    }

    public boolean isNone() {
        return equals(NONE);
    }
}
