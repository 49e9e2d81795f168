package kiban.health.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HysteresisTest {

    @Test
    void raisesAtTheUpperLevelAndClearsOnlyBelowTheLowerOne() {
        Hysteresis alarm = new Hysteresis(0.2, 0.1);
        double[] values = {0.05, 0.19, 0.2, 0.25, 0.15, 0.21, 0.12, 0.1, 0.099, 0.15, 0.19, 0.3, 0.05};
        List<Hysteresis.Change> changes = new ArrayList<>();
        for (double v : values) {
            changes.add(alarm.update(v));
        }
        assertThat(changes).containsExactly(
                Hysteresis.Change.NONE, Hysteresis.Change.NONE, // below the raise level
                Hysteresis.Change.RAISED, // reaches it
                Hysteresis.Change.NONE, Hysteresis.Change.NONE, Hysteresis.Change.NONE, Hysteresis.Change.NONE, // between the levels: stays raised
                Hysteresis.Change.NONE, // at the clear level, not below it
                Hysteresis.Change.CLEARED,
                Hysteresis.Change.NONE, Hysteresis.Change.NONE, // between the levels again: stays clear
                Hysteresis.Change.RAISED,
                Hysteresis.Change.CLEARED);
        assertThat(alarm.active()).isFalse();
    }

    @Test
    void aValueHoveringAroundOneLevelDoesNotFlap() {
        Hysteresis alarm = new Hysteresis(0.2, 0.1);
        int changes = 0;
        for (int i = 0; i < 100; i++) {
            changes += alarm.update(i % 2 == 0 ? 0.199 : 0.201) == Hysteresis.Change.NONE ? 0 : 1;
        }
        assertThat(changes).isEqualTo(1);
        assertThat(alarm.active()).isTrue();
    }

    @Test
    void refusesAClearLevelNotBelowTheRaiseLevel() {
        assertThatThrownBy(() -> new Hysteresis(0.1, 0.1)).hasMessageContaining("clear level must lie below");
        assertThatThrownBy(() -> new Hysteresis(0.1, 0.2)).hasMessageContaining("raise 0.1 and clear 0.2");
    }
}
