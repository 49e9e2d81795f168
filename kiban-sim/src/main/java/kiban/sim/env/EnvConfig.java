package kiban.sim.env;

/**
 * How to build an env: whether observations carry a camera image, and the domain randomisation.
 */
public record EnvConfig(boolean images, Randomization randomization) {

    public static final EnvConfig DEFAULT = new EnvConfig(false, Randomization.NONE);

    public EnvConfig withImages(boolean on) {
        return new EnvConfig(on, randomization);
    }

    public EnvConfig withRandomization(Randomization r) {
        return new EnvConfig(images, r);
    }
}
