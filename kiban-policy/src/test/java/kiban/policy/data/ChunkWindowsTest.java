package kiban.policy.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.normalize.FeatureStats;
import kiban.core.normalize.NormalizationMode;
import kiban.core.normalize.Normalizer;
import org.junit.jupiter.api.Test;

class ChunkWindowsTest {

    private static final FeatureSpec POS = new FeatureSpec("pos", "m", List.of(1), List.of(), List.of(-10.0), List.of(10.0),
            List.of());

    @Test
    void rowsEndWithTheInstructionOfTheirNewestFrame() {
        Map<String, FeatureStats> stats = new java.util.LinkedHashMap<>();
        stats.put("observation.pos", FeatureStats.fit(new double[][] {{-10}, {10}}));
        stats.put("action.pos", FeatureStats.fit(new double[][] {{-10}, {10}}));
        FeatureCodec codec = new FeatureCodec(List.of(POS), List.of(POS), Normalizer.of(NormalizationMode.MIN_MAX, stats));
        double[][] x = {{0}, {1}, {2}};
        // The task changes within the episode (LeRobot allows a task per frame).
        Episode e = new Episode(x, x, List.of(), new String[] {"go left", "go left", "go right"});
        InstructionFeatures features = new InstructionFeatures(4);
        try (ChunkWindows plain = new ChunkWindows(List.of(e), codec, 2, 1, 0);
                ChunkWindows instructed = new ChunkWindows(List.of(e), codec, List.of(), Optional.of(features), 2, 1, 0)) {
            assertThat(instructed.observationInputs()).isEqualTo(plain.observationInputs() + 4);
            float[] without = plain.all(3).getFirst().observations();
            float[] with = instructed.all(3).getFirst().observations();
            for (int w = 0; w < 3; w++) {
                // The states are as before; the instruction follows them.
                assertThat(Arrays.copyOfRange(with, w * 6, w * 6 + 2)).isEqualTo(Arrays.copyOfRange(without, w * 2, w * 2 + 2));
                assertThat(Arrays.copyOfRange(with, w * 6 + 2, w * 6 + 6))
                        .isEqualTo(features.encode(w == 2 ? "go right" : "go left"));
            }
        }
    }
}
