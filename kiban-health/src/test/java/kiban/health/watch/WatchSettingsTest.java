package kiban.health.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class WatchSettingsTest {

    @Test
    void namesTheOptionAndValueOfABadLevel() {
        assertThatThrownBy(() -> WatchSettings.of(1.5, "--alarm-raise", 0.1, "--alarm-clear", 1, "--estimate-every"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--alarm-raise").hasMessageContaining("1.5")
                .hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> WatchSettings.of(0.2, "--alarm-raise", 0.3, "--alarm-clear", 1, "--estimate-every"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--alarm-clear").hasMessageContaining("0.3")
                .hasMessageContaining("below the raise level 0.2");
        assertThatThrownBy(() -> WatchSettings.of(0.2, "--alarm-raise", 0.1, "--alarm-clear", 0, "--estimate-every"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--estimate-every");
        assertThat(WatchSettings.of(0.2, "a", 0.1, "b", 5, "c")).isEqualTo(new WatchSettings(0.2, 0.1, 5));
    }
}
