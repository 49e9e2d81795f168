package kiban.policy.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GuidanceWeightsTest {

    @Test
    void aHardMaskWeighsTheFrozenOutputsOneAndTheRestNothing() {
        GuidanceWeights hard = GuidanceWeights.hard(6, 2);
        assertThat(hard.weights()).containsExactly(1f, 1f, 0f, 0f, 0f, 0f);
        assertThat(hard.frozenOutputs()).isEqualTo(2);
        assertThat(GuidanceWeights.hard(6, 0).guides()).isFalse();
    }

    @Test
    void theSoftMaskFallsExponentiallyOverTheOverlapAfterTheFrozenRows() {
        // 8 rows of 2 outputs, 2 frozen, the previous chunk overlapping the first 6.
        float[] w = GuidanceWeights.soft(8, 2, 2, 6).weights();
        assertThat(w).hasSize(16);
        for (int i = 0; i < 8; i++) {
            assertThat(w[2 * i + 1]).as("both outputs of row %d", i).isEqualTo(w[2 * i]);
        }
        assertThat(w[0]).isEqualTo(1f);
        assertThat(w[2]).isEqualTo(1f);
        // Row 2: c = (6 - 2) / (6 - 2 + 1) = 0.8, weight c (e^c - 1) / (e - 1).
        assertThat(w[4]).isCloseTo((float) (0.8 * Math.expm1(0.8) / Math.expm1(1)), within(1e-6f));
        for (int i = 2; i < 5; i++) {
            assertThat(w[2 * (i + 1)]).as("row %d", i + 1).isLessThan(w[2 * i]).isGreaterThan(0f);
        }
        assertThat(w[12]).isZero();
        assertThat(w[14]).isZero();
        assertThat(GuidanceWeights.soft(8, 2, 2, 6).frozenOutputs()).isEqualTo(4);
    }

    @Test
    void withNothingAfterTheFrozenRowsTheSoftMaskIsTheHardOne() {
        assertThat(GuidanceWeights.soft(5, 3, 2, 2)).isEqualTo(GuidanceWeights.hard(15, 6));
    }

    @Test
    void anOverlapBeyondTheChunkOrBeforeTheFrozenRowsIsRefused() {
        assertThatThrownBy(() -> GuidanceWeights.soft(4, 1, 2, 5)).hasMessageContaining("got 2 and 5");
        assertThatThrownBy(() -> GuidanceWeights.soft(4, 1, 3, 2)).hasMessageContaining("got 3 and 2");
        assertThatThrownBy(() -> GuidanceWeights.hard(4, 5)).hasMessageContaining("[0, 4], got 5");
    }
}
