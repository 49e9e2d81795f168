package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import kiban.policy.nn.ImageConditionedBlock;

/**
 * A network's head and what conditions it. Without cameras the head is the whole block and reads
 * the encoded states as they are, so state-only checkpoints keep their parameter names; with
 * cameras the block is an {@link ImageConditionedBlock} around the head. An instruction's features
 * end the input row; a head reads them after the rest of the conditioning, or, where it reads a
 * token per observation step ({@code tokens}: act), at the end of every step's token.
 */
final class Conditioning {

    private final Block head;
    private final ImageConditionedBlock images;
    private final Shape blockInput;
    private final ObservationLayout layout;
    private final boolean tokens;

    /** @param headInput the head's input shape for a batch of one: the conditioning and whatever the network adds */
    Conditioning(ObservationLayout layout, Block head, Shape headInput) {
        this(layout, head, headInput, false);
    }

    /** @param tokens whether the head reads the conditioning as one token per step, each with the instruction */
    Conditioning(ObservationLayout layout, Block head, Shape headInput, boolean tokens) {
        this.head = head;
        this.layout = layout;
        this.tokens = tokens;
        this.images = layout.hasImages() ? new ImageConditionedBlock(layout.steps(), layout.stateDim(), layout.images(),
                layout.imageFeatures(), layout.imageEncoding(), head, headInput) : null;
        this.blockInput = images == null ? headInput : new Shape(1, layout.inputs());
    }

    Block block() {
        return images == null ? head : images;
    }

    /** The shape to initialise {@link #block()} with. */
    Shape inputShape() {
        return blockInput;
    }

    /** The conditioning of a batch of input rows; compute once per batch. */
    NDArray condition(ParameterStore store, NDArray observations, boolean training) {
        if (!layout.hasInstructions()) {
            return images == null ? observations : images.condition(store, observations, training);
        }
        if (images == null && !tokens) {
            return observations; // the row is already the states followed by the instruction
        }
        long b = observations.getShape().get(0);
        long at = layout.inputs() - layout.instructionFeatures();
        NDArray text = observations.get(new NDIndex(":, {}:", at));
        // The image block reads its slices from the row's start and ignores the instruction at its end.
        NDArray rest = images == null ? observations.get(new NDIndex(":, 0:{}", at)) : images.condition(store, observations, training);
        if (!tokens) {
            return rest.concat(text, 1);
        }
        int steps = layout.steps();
        NDArray repeated = text.reshape(b, 1, -1).broadcast(new Shape(b, steps, layout.instructionFeatures()));
        return rest.reshape(b, steps, -1).concat(repeated, 2).reshape(b, -1);
    }

    NDArray head(ParameterStore store, NDArray input, boolean training) {
        return head.forward(store, new NDList(input), training).singletonOrThrow();
    }
}
