package kiban.core.policy;

import java.util.Map;

/**
 * One observation as a policy reads it: the state vector (laid out as {@link PolicyMetadata#observation()});
 * for a policy that reads cameras, one frame per {@link PolicyMetadata#images()} feature by name, laid out
 * as its {@link ImageSpec} says; the instruction of the task at hand (openpi's {@code prompt},
 * LeRobot's {@code task}; empty when none was given), which a policy that does not follow instructions
 * ignores; and the embodiment it comes from (GR00T's embodiment tag; empty: the one the policy was
 * loaded for), which only a policy of several embodiments reads. Arrays are taken as given, not
 * copied: the caller hands them over.
 */
public record PolicyObservation(double[] state, Map<String, byte[]> images, String instruction, String embodiment) {

    /** The longest instruction taken from outside (a prompt, a command line): a sentence or a paragraph, not a document. */
    public static final int MAX_INSTRUCTION_CHARS = 1000;

    public PolicyObservation {
        images = Map.copyOf(images);
        instruction = instruction == null ? "" : instruction;
        embodiment = embodiment == null ? "" : embodiment;
    }

    /** An observation for the embodiment the policy was loaded for. */
    public PolicyObservation(double[] state, Map<String, byte[]> images, String instruction) {
        this(state, images, instruction, "");
    }

    /** An observation without an instruction. */
    public PolicyObservation(double[] state, Map<String, byte[]> images) {
        this(state, images, "", "");
    }

    /** This observation with {@code instruction} instead of its own. */
    public PolicyObservation withInstruction(String instruction) {
        return new PolicyObservation(state, images, instruction, embodiment);
    }

    /** This observation from {@code embodiment} instead of its own. */
    public PolicyObservation withEmbodiment(String embodiment) {
        return new PolicyObservation(state, images, instruction, embodiment);
    }

    /** A state without images. */
    public static PolicyObservation of(double[] state) {
        return new PolicyObservation(state, Map.of());
    }

    /** A history of states without images, oldest first. */
    public static PolicyObservation[] of(double[][] states) {
        PolicyObservation[] out = new PolicyObservation[states.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = of(states[k]);
        }
        return out;
    }

    /** The state vectors of {@code history}, in order: what a policy of states alone reads. */
    public static double[][] states(PolicyObservation[] history) {
        double[][] out = new double[history.length][];
        for (int k = 0; k < out.length; k++) {
            out[k] = history[k].state();
        }
        return out;
    }

    /** The frame of {@code spec}, checked against its size; errors name the feature. */
    public byte[] image(ImageSpec spec) {
        byte[] b = images.get(spec.name());
        if (b == null) {
            throw new IllegalArgumentException("the policy reads image " + spec.name() + ", but the observation has "
                    + (images.isEmpty() ? "no images" : "only " + new java.util.TreeSet<>(images.keySet())));
        }
        if (b.length != spec.bytes()) {
            throw new IllegalArgumentException("image " + spec.name() + " must be " + spec.height() + "x" + spec.width()
                    + "x" + spec.channels() + " = " + spec.bytes() + " bytes, got " + b.length);
        }
        return b;
    }
}
