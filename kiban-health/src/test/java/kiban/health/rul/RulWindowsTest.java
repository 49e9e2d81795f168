package kiban.health.rul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.health.cmapss.EngineUnit;
import org.junit.jupiter.api.Test;

/** Windowing, the capped target and the padding of short test units, against values worked by hand. */
class RulWindowsTest {

    /** A unit of {@code cycles} cycles whose one feature at cycle c is c * 10. */
    private static EngineUnit unit(int number, int cycles) {
        int[] c = new int[cycles];
        float[][] r = new float[cycles][24];
        for (int i = 0; i < cycles; i++) {
            c[i] = i + 1;
        }
        return new EngineUnit("slice.txt", number, 7, c, r);
    }

    private static float[][] feature(int cycles) {
        float[][] rows = new float[cycles][1];
        for (int i = 0; i < cycles; i++) {
            rows[i][0] = (i + 1) * 10;
        }
        return rows;
    }

    @Test
    void targetIsTheCyclesLeftCappedAtTheCap() {
        // a unit that fails after cycle 200: at cycle 50, 150 left, capped to 125; at 100, 100; at 200, 0.
        assertThat(RulWindows.target(200, 50, 125)).isEqualTo(125f);
        assertThat(RulWindows.target(200, 75, 125)).isEqualTo(125f);
        assertThat(RulWindows.target(200, 76, 125)).isEqualTo(124f);
        assertThat(RulWindows.target(200, 100, 125)).isEqualTo(100f);
        assertThat(RulWindows.target(200, 200, 125)).isEqualTo(0f);
    }

    @Test
    void trainingWindowsEndAtEveryCycleFromTheWindowsOn() {
        // 6 cycles, window 3: windows end at cycles 3, 4, 5, 6; targets min(4, 6 - c) = 3, 2, 1, 0 with cap 4,
        // and with cap 2: 2, 2, 1, 0.
        RulWindows w = RulWindows.training(List.of(unit(1, 6)), List.<float[][]>of(feature(6)), 3, 4);
        assertThat(w.count()).isEqualTo(4);
        assertThat(w.targets()).containsExactly(3f, 2f, 1f, 0f);
        assertThat(w.inputs()).containsExactly(10, 20, 30, 20, 30, 40, 30, 40, 50, 40, 50, 60);
        assertThat(RulWindows.training(List.of(unit(1, 6)), List.<float[][]>of(feature(6)), 3, 2).targets())
                .containsExactly(2f, 2f, 1f, 0f);
    }

    @Test
    void truncationPointsAreTheMiddlesOfEqualStretchesOfEachUnitsWindows() {
        // window 3: a unit of 12 cycles has 10 windows (0-9), cut into 4 stretches of 2.5 windows whose middles are
        // 1.25, 3.75, 6.25, 8.75, so windows 1, 3, 6, 8; a unit of 4 cycles has 2 windows (10, 11), both taken.
        List<EngineUnit> units = List.of(unit(1, 12), unit(2, 4));
        assertThat(RulWindows.truncations(units, 3, 4)).containsExactly(1, 3, 6, 8, 10, 11);
        // one point per unit: the middle window.
        assertThat(RulWindows.truncations(units, 3, 1)).containsExactly(5, 11);
        // the indices are into training()'s windows of the same units: unit 1's window 3 ends at cycle 6.
        RulWindows all = RulWindows.training(units, List.<float[][]>of(feature(12), feature(4)), 3, 125);
        assertThat(all.count()).isEqualTo(12);
        assertThat(all.targets()[3]).isEqualTo(6f);
    }

    @Test
    void aTestUnitShorterThanTheWindowIsPaddedAtTheStartWithItsFirstCycle() {
        RulWindows w = RulWindows.lastCycles(List.of(feature(2), feature(5)), 4);
        assertThat(w.count()).isEqualTo(2);
        // unit of 2 cycles: 10 10 10 20; unit of 5 cycles: its last 4, 20 30 40 50.
        assertThat(w.inputs()).containsExactly(10, 10, 10, 20, 20, 30, 40, 50);
    }

    @Test
    void aTrainingUnitShorterThanTheWindowIsAnErrorNamingItsFirstLine() {
        assertThatThrownBy(() -> RulWindows.training(List.of(unit(3, 2)), List.<float[][]>of(feature(2)), 4, 125))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("slice.txt:7: field 'column 1 (unit)': expected training unit 3 to have at least 4 cycles "
                        + "(the window); lower --window, got 2 cycles");
    }
}
