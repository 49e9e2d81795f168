package kiban.core.policy;

import java.util.Map;

/**
 * One observation as a policy reads it: the state vector (laid out as {@link PolicyMetadata#observation()});
 * for a policy that reads cameras, one frame per {@link PolicyMetadata#images()} feature by name, laid out
 * as its {@link ImageSpec} says; and the instruction of the task at hand (openpi's {@code prompt},
 * LeRobot's {@code task}; empty when none was given), which a policy that does not follow instructions
 * ignores. Arrays are taken as given, not copied: the caller hands them over.
 */
public record PolicyObservation(double[] state, Map<String, byte[]> images, String instruction) {

    /** The longest instruction taken from outside (a prompt, a command line): a sentence or a paragraph, not a document. */
    public static final int MAX_INSTRUCTION_CHARS = 1000;

    public PolicyObservation {
        images = Map.copyOf(images);
        instruction = instruction == null ? "" : instruction;
    }

    /** An observation without an instruction. */
    public PolicyObservation(double[] state, Map<String, byte[]> images) {
        this(state, images, "");
    }

    /** This observation with {@code instruction} instead of its own. */
    public PolicyObservation withInstruction(String instruction) {
        return new PolicyObservation(state, images, instruction);
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
