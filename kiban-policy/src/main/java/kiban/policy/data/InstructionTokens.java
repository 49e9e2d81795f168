package kiban.policy.data;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An offline word tokenizer with no vocabulary file: the words of {@link InstructionFeatures#words}
 * (lower-cased runs of letters and digits), each hashed with 32-bit FNV-1a into one of
 * {@code vocabulary} ids from 1, at most {@code maxTokens} of them, padded with id 0. Written as
 * floats because they travel in a float training row; the network reads them back as integers
 * into an embedding table. Hashing instead of a learned vocabulary means any text encodes, words
 * never trained on included; two words sharing an id is rare at a vocabulary far above the words
 * the tasks use, and the neighbouring tokens tell them apart.
 */
public record InstructionTokens(int vocabulary, int maxTokens) implements TextEncoder {

    /** The recipe's name in {@code policy.json}. */
    public static final String NAME = "hashed_word_tokens";
    /** Bumped whenever the recipe changes what ids a text gives. */
    public static final int VERSION = 1;

    public InstructionTokens {
        if (vocabulary < 1 || vocabulary > 1 << 20 || maxTokens < 1 || maxTokens > 512) {
            throw new IllegalArgumentException("instruction tokens need a vocabulary in [1, 1048576] and at most "
                    + "[1, 512] tokens, got " + vocabulary + " and " + maxTokens);
        }
    }

    /** Rows of the embedding table: the ids and the padding id 0. */
    public int embeddings() {
        return vocabulary + 1;
    }

    @Override
    public int width() {
        return maxTokens;
    }

    /** The ids of {@code instruction}'s first {@link #maxTokens} words, then zeros. */
    @Override
    public float[] encode(String instruction) {
        List<String> words = InstructionFeatures.words(instruction);
        float[] out = new float[maxTokens];
        for (int i = 0; i < Math.min(maxTokens, words.size()); i++) {
            out[i] = 1 + Integer.remainderUnsigned(InstructionFeatures.fnv1a(words.get(i).getBytes(StandardCharsets.UTF_8)),
                    vocabulary);
        }
        return out;
    }
}
