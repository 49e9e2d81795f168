package kiban.policy.foundation;

import java.util.List;
import kiban.core.policy.ImageSpec;
import kiban.policy.data.InstructionTokens;
import kiban.policy.nn.ImageEncoders;

/**
 * The shape of a foundation network: each embodiment's encoded state and action sizes, in the
 * order their heads were added, and the trunk's. Training rows travel padded to the largest
 * embodiment (see {@link FoundationNetwork}); inside the network each embodiment sees its own sizes.
 * Cameras are read by {@code imageEncoder} CNNs of {@code imageFeatureDim} outputs.
 */
record FoundationDims(List<Sizes> embodiments, int observationSteps, int horizon, int modelDim, int heads, int layers,
        InstructionTokens tokens, int loraRank, String imageEncoder, int imageFeatureDim) {

    /** One embodiment's encoded state elements per observation step, action elements per row, and cameras. */
    record Sizes(int stateDim, int actionDim, List<ImageSpec> cameras) {
        Sizes {
            cameras = List.copyOf(cameras);
            if (stateDim < 1 || actionDim < 1) {
                throw new IllegalArgumentException("an embodiment needs state and action elements, got " + stateDim
                        + " and " + actionDim);
            }
        }

        /** Without cameras. */
        Sizes(int stateDim, int actionDim) {
            this(stateDim, actionDim, List.of());
        }

        /** Pixel values of one observation step's frames, every camera's. */
        int frameElements() {
            return cameras.stream().mapToInt(ImageSpec::bytes).sum();
        }
    }

    /** Without cameras (no embodiment has any). */
    FoundationDims(List<Sizes> embodiments, int observationSteps, int horizon, int modelDim, int heads, int layers,
            InstructionTokens tokens, int loraRank) {
        this(embodiments, observationSteps, horizon, modelDim, heads, layers, tokens, loraRank, ImageEncoders.CNN, 64);
    }

    FoundationDims {
        embodiments = List.copyOf(embodiments);
        if (embodiments.isEmpty()) {
            throw new IllegalArgumentException("a foundation network needs at least one embodiment");
        }
        if (modelDim % heads != 0) {
            throw new IllegalArgumentException("model_dim " + modelDim + " is not a multiple of heads " + heads);
        }
    }

    /** This shape with one more embodiment's heads. */
    FoundationDims with(Sizes added) {
        List<Sizes> all = new java.util.ArrayList<>(embodiments);
        all.add(added);
        return new FoundationDims(all, observationSteps, horizon, modelDim, heads, layers, tokens, loraRank, imageEncoder,
                imageFeatureDim);
    }

    /**
     * Tokens of one sample that take a shared position: the embodiment's, the states', the
     * instruction's and the chunk rows'. Image tokens come on top, with their embodiment's positions.
     */
    int sequenceLength() {
        return 1 + observationSteps + tokens.maxTokens() + horizon;
    }

    /** Image tokens of one sample of embodiment {@code e}: one per camera and observation step. */
    int imageTokens(int e) {
        return observationSteps * embodiments.get(e).cameras().size();
    }

    /** Elements of a padded row that hold frames: the most any embodiment's observation steps have. */
    int maxFrameInputs() {
        return observationSteps * embodiments.stream().mapToInt(Sizes::frameElements).max().orElseThrow();
    }

    int maxStateDim() {
        return embodiments.stream().mapToInt(Sizes::stateDim).max().orElseThrow();
    }

    int maxActionDim() {
        return embodiments.stream().mapToInt(Sizes::actionDim).max().orElseThrow();
    }

    /**
     * Elements of a padded training row: the embodiment's index, the padded states, the padded frames
     * (none where no embodiment has a camera), the token ids.
     */
    int observationInputs() {
        return tokensAt() + tokens.maxTokens();
    }

    /** Where a padded row's frames start. */
    int framesAt() {
        return 1 + observationSteps * maxStateDim();
    }

    /** Where a padded row's token ids start, after the padded frames. */
    int tokensAt() {
        return framesAt() + maxFrameInputs();
    }

    /** Elements of a padded action chunk. */
    int chunkOutputs() {
        return horizon * maxActionDim();
    }
}
