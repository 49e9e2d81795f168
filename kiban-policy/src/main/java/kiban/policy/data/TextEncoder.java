package kiban.policy.data;

/**
 * How an instruction becomes the fixed number of elements that end a training row: counts of
 * hashed words for the single-embodiment policies ({@link InstructionFeatures}), token ids for the
 * foundation policy's text encoder ({@link InstructionTokens}).
 */
public sealed interface TextEncoder permits InstructionFeatures, InstructionTokens {

    /** Elements one instruction takes. */
    int width();

    /** The elements of {@code instruction} ({@code null} as empty), {@link #width()} of them. */
    float[] encode(String instruction);
}
