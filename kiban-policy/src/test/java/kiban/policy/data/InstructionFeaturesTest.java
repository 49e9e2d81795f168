package kiban.policy.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class InstructionFeaturesTest {

    private static final InstructionFeatures FEATURES = InstructionFeatures.defaults();

    private static int fnv(String s) {
        return InstructionFeatures.fnv1a(s.getBytes(StandardCharsets.UTF_8));
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    @Test
    void hashesWithFnv1aAsPublished() {
        // The reference values of FNV-1a 32 (Fowler, Noll and Vo's test suite), so other runtimes can match.
        assertThat(fnv("")).isEqualTo(0x811c9dc5);
        assertThat(fnv("a")).isEqualTo(0xe40c292c);
        assertThat(fnv("foobar")).isEqualTo(0xbf9cf968);
    }

    @Test
    void countsWordsAndWordPairsInBucketsAtUnitLength() {
        double[] expected = new double[InstructionFeatures.DEFAULT_BUCKETS];
        for (String token : List.of("go", "left", "go left")) {
            expected[Integer.remainderUnsigned(fnv(token), expected.length)]++;
        }
        double norm = Math.sqrt(java.util.Arrays.stream(expected).map(c -> c * c).sum());
        float[] v = FEATURES.encode("go left");
        assertThat(v).hasSize(32);
        for (int k = 0; k < v.length; k++) {
            assertThat((double) v[k]).isCloseTo(expected[k] / norm, Offset.offset(1e-7));
        }
        assertThat(dot(v, v)).isCloseTo(1, Offset.offset(1e-6));
    }

    @Test
    void theSameTextGivesTheSameVectorWhateverItsCasingAndPunctuation() {
        float[] v = FEATURES.encode("place the cube in the left zone");
        assertThat(new InstructionFeatures(32).encode("place the cube in the left zone")).isEqualTo(v);
        assertThat(FEATURES.encode("  Place the CUBE, in the left zone!")).isEqualTo(v);
        assertThat(InstructionFeatures.words("Überhole, dann zurück")).containsExactly("überhole", "dann", "zurück");
    }

    @Test
    void wordOrderMattersThroughWordPairs() {
        float[] a = FEATURES.encode("go left then right");
        float[] b = FEATURES.encode("go right then left");
        assertThat(a).isNotEqualTo(b);
        // The same words: the vectors share their word counts and differ only in the pairs.
        assertThat(dot(a, b)).isGreaterThan(0.4).isLessThan(0.999);
    }

    @Test
    void noWordsIsAllZeros() {
        for (String s : new String[] {"", "   ", "?!-", null}) {
            assertThat(FEATURES.encode(s)).containsOnly(0f);
        }
    }

    @Test
    void theEnvsKindsOfInstructionsAllDiffer() {
        // The kind of tasks issue 19 gives each env: they differ in a word or two.
        List<String> instructions = List.of("place the cube in the left zone", "place the cube in the centre zone",
                "place the cube in the right zone", "keep to the right lane", "overtake and return to the right lane",
                "push the T to the upper goal", "push the T to the lower goal", "favour throughput",
                "favour machine life");
        for (int i = 0; i < instructions.size(); i++) {
            for (int j = i + 1; j < instructions.size(); j++) {
                float[] a = FEATURES.encode(instructions.get(i));
                float[] b = FEATURES.encode(instructions.get(j));
                assertThat(dot(a, b)).as(instructions.get(i) + " / " + instructions.get(j)).isLessThan(0.95);
            }
        }
    }

    @Test
    void writesAtAnOffsetAndRefusesNoBuckets() {
        float[] row = new float[40];
        row[0] = 7;
        new InstructionFeatures(8).encode("go left", row, 1);
        assertThat(row[0]).isEqualTo(7);
        assertThat(java.util.Arrays.copyOfRange(row, 1, 9)).isEqualTo(new InstructionFeatures(8).encode("go left"));
        assertThat(java.util.Arrays.copyOfRange(row, 9, 40)).containsOnly(0f);
        assertThatThrownBy(() -> new InstructionFeatures(0)).hasMessageContaining("buckets");
    }
}
