package kiban.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import kiban.policy.nn.ImageConditionedBlock;

/**
 * A network's head and what conditions it. Without cameras the head is the whole block and reads
 * the encoded states as they are, so state-only checkpoints keep their parameter names; with
 * cameras the block is an {@link ImageConditionedBlock} around the head.
 */
final class Conditioning {

    private final Block head;
    private final ImageConditionedBlock images;
    private final Shape blockInput;

    /** @param headInput the head's input shape for a batch of one: the conditioning and whatever the network adds */
    Conditioning(ObservationLayout layout, Block head, Shape headInput) {
        this.head = head;
        this.images = layout.hasImages() ? new ImageConditionedBlock(layout.steps(), layout.stateDim(), layout.images(),
                layout.imageFeatures(), head, headInput) : null;
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
        return images == null ? observations : images.condition(store, observations, training);
    }

    NDArray head(ParameterStore store, NDArray input, boolean training) {
        return head.forward(store, new NDList(input), training).singletonOrThrow();
    }
}
