package kiban.policy.model;

import java.util.List;
import kiban.core.policy.ImageSpec;
import kiban.policy.nn.ImageConditionedBlock;
import kiban.policy.nn.ImageEncoding;

/**
 * How a network's input rows are laid out: {@code steps} encoded states of {@code stateDim}
 * elements, then, for a policy that reads cameras, each camera's {@code steps} frames (see
 * {@link ImageConditionedBlock}), which a CNN turns into {@code imageFeatures} features each,
 * then, for a policy that follows instructions, the newest observation's instruction as
 * {@code instructionFeatures} elements ({@link kiban.policy.data.InstructionFeatures}; 0: none).
 * {@code imageEncoding} says which CNN encodes the frames and whether the cameras share it.
 */
public record ObservationLayout(int steps, int stateDim, List<ImageSpec> images, int imageFeatures,
        int instructionFeatures, ImageEncoding imageEncoding) {

    public ObservationLayout {
        images = List.copyOf(images);
        java.util.Objects.requireNonNull(imageEncoding, "imageEncoding");
        if (steps < 1 || stateDim < 0 || (!images.isEmpty() && imageFeatures < 1) || instructionFeatures < 0) {
            throw new IllegalArgumentException("bad observation layout: " + steps + " steps of " + stateDim
                    + " state elements, " + images.size() + " cameras of " + imageFeatures + " features, "
                    + instructionFeatures + " instruction features");
        }
    }

    /** A layout whose frames the first image encoder reads, one per camera. */
    public ObservationLayout(int steps, int stateDim, List<ImageSpec> images, int imageFeatures, int instructionFeatures) {
        this(steps, stateDim, images, imageFeatures, instructionFeatures, ImageEncoding.DEFAULT);
    }

    /** A layout without instructions. */
    public ObservationLayout(int steps, int stateDim, List<ImageSpec> images, int imageFeatures) {
        this(steps, stateDim, images, imageFeatures, 0);
    }

    /** Rows of {@code inputs} state elements and no images. */
    public static ObservationLayout stateOnly(int steps, int inputs) {
        if (inputs % steps != 0) {
            throw new IllegalArgumentException(inputs + " inputs do not split into " + steps + " steps");
        }
        return new ObservationLayout(steps, inputs / steps, List.of(), 0);
    }

    public boolean hasImages() {
        return !images.isEmpty();
    }

    public boolean hasInstructions() {
        return instructionFeatures > 0;
    }

    /** Elements of one input row. */
    public int inputs() {
        return Math.toIntExact(ImageConditionedBlock.inputs(steps, stateDim, images) + instructionFeatures);
    }

    /**
     * Elements of the conditioning a head reads: the state history, with image features where there
     * are cameras, then the instruction's features.
     */
    public int conditionDim() {
        return ImageConditionedBlock.conditionDim(steps, stateDim, images.size(), imageFeatures) + instructionFeatures;
    }

    /**
     * Elements of one step's token where a head reads a token per step (act): the step's state and
     * image features, and the instruction's features repeated in every step's token.
     */
    public int tokenDim() {
        return ImageConditionedBlock.conditionDim(1, stateDim, images.size(), imageFeatures) + instructionFeatures;
    }
}
