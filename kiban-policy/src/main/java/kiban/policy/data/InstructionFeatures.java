package kiban.policy.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An instruction as a fixed-size vector, with no vocabulary file: the text is lower-cased
 * ({@link Locale#ROOT}) and split into words (runs of Unicode letters and digits); each word and
 * each adjacent pair of words (joined by one space) is hashed with 32-bit FNV-1a over its UTF-8
 * bytes into one of {@code buckets} counts (the hash read unsigned, modulo {@code buckets}); the
 * counts are scaled to unit Euclidean length. Words make the vector independent of casing and
 * punctuation, pairs make it depend on word order ("left then right" is not "right then left").
 * An instruction without words (empty, blank, punctuation) is all zeros.
 *
 * <p>The same text gives the same vector in any JVM, on any machine, and in any language that
 * implements these few lines; {@link #NAME} and {@link #VERSION} name this recipe in a run's
 * {@code policy.json}, so that a later change of it is a new version and not a silent one.
 */
public record InstructionFeatures(int buckets) implements TextEncoder {

    /** The recipe's name in {@code policy.json}. */
    public static final String NAME = "hashed_words";
    /** Bumped whenever the recipe changes what vector a text gives. */
    public static final int VERSION = 1;
    /** Enough for the handful of instructions an env poses, small beside a policy's first layer. */
    public static final int DEFAULT_BUCKETS = 32;

    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    public InstructionFeatures {
        if (buckets < 1 || buckets > 65536) {
            throw new IllegalArgumentException("instruction buckets must be in [1, 65536], got " + buckets);
        }
    }

    public static InstructionFeatures defaults() {
        return new InstructionFeatures(DEFAULT_BUCKETS);
    }

    @Override
    public int width() {
        return buckets;
    }

    /** The vector of {@code instruction} ({@code null} as empty). */
    @Override
    public float[] encode(String instruction) {
        float[] out = new float[buckets];
        encode(instruction, out, 0);
        return out;
    }

    /** Writes the vector of {@code instruction} into {@code out} at {@code offset}, {@link #buckets} elements. */
    public void encode(String instruction, float[] out, int offset) {
        List<String> words = words(instruction);
        double[] counts = new double[buckets];
        for (int i = 0; i < words.size(); i++) {
            counts[bucket(words.get(i))]++;
            if (i + 1 < words.size()) {
                counts[bucket(words.get(i) + " " + words.get(i + 1))]++;
            }
        }
        double norm = 0;
        for (double c : counts) {
            norm += c * c;
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < buckets; k++) {
            out[offset + k] = norm == 0 ? 0f : (float) (counts[k] / norm);
        }
    }

    /** The lower-cased words of {@code text}, in order. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String w : NOT_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** The bucket of one word or word pair. */
    int bucket(String token) {
        return Integer.remainderUnsigned(fnv1a(token.getBytes(StandardCharsets.UTF_8)), buckets);
    }

    /** 32-bit FNV-1a. */
    public static int fnv1a(byte[] bytes) {
        int h = FNV_OFFSET;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }
}
