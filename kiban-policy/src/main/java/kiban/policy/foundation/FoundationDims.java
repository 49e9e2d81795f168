package kiban.policy.foundation;

import java.util.List;
import kiban.policy.data.InstructionTokens;

/**
 * The shape of a foundation network: each embodiment's encoded state and action sizes, in the
 * order their heads were added, and the trunk's. Training rows travel padded to the largest
 * embodiment (see {@link FoundationNetwork}); inside the network each embodiment sees its own sizes.
 */
record FoundationDims(List<Sizes> embodiments, int observationSteps, int horizon, int modelDim, int heads, int layers,
        InstructionTokens tokens, int loraRank) {

    /** One embodiment's encoded state elements per observation step and action elements per row. */
    record Sizes(int stateDim, int actionDim) {
        Sizes {
            if (stateDim < 1 || actionDim < 1) {
                throw new IllegalArgumentException("an embodiment needs state and action elements, got " + stateDim
                        + " and " + actionDim);
            }
        }
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
        return new FoundationDims(all, observationSteps, horizon, modelDim, heads, layers, tokens, loraRank);
    }

    /** Tokens of one sample: the embodiment's, the states', the instruction's and the chunk rows'. */
    int sequenceLength() {
        return 1 + observationSteps + tokens.maxTokens() + horizon;
    }

    int maxStateDim() {
        return embodiments.stream().mapToInt(Sizes::stateDim).max().orElseThrow();
    }

    int maxActionDim() {
        return embodiments.stream().mapToInt(Sizes::actionDim).max().orElseThrow();
    }

    /** Elements of a padded training row: the embodiment's index, the padded states, the token ids. */
    int observationInputs() {
        return 1 + observationSteps * maxStateDim() + tokens.maxTokens();
    }

    /** Elements of a padded action chunk. */
    int chunkOutputs() {
        return horizon * maxActionDim();
    }
}
