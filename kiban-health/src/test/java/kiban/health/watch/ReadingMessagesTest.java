package kiban.health.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import kiban.core.error.InvalidInputException;
import kiban.health.cell.CellReading;
import org.junit.jupiter.api.Test;

class ReadingMessagesTest {

    @Test
    void readsTheCellsFeaturesAndIgnoresOthers() {
        CellReading r = ReadingMessages.parse("{\"machine_state\": 3, \"vibration_rms\": 0.1, \"temperature\": 30.5, "
                + "\"minutes_since_service\": 12, \"oee\": 0.8}", "plant/readings message 1", true);
        assertThat(r).isEqualTo(new CellReading(CellReading.MAINTENANCE, 0.1, 30.5, 12));
    }

    @Test
    void errorsNameTheMessageTheFieldAndTheValue() {
        assertThatThrownBy(() -> ReadingMessages.parse("{\"machine_state\": 0, \"vibration_rms\": \"high\", \"temperature\": 30}",
                "plant/readings message 7", false)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("plant/readings message 7").hasMessageContaining("vibration_rms").hasMessageContaining("high");
        assertThatThrownBy(() -> ReadingMessages.parse("{\"machine_state\": 9, \"vibration_rms\": 1, \"temperature\": 30}", "m", false))
                .hasMessageContaining("machine_state").hasMessageContaining("9");
        assertThatThrownBy(() -> ReadingMessages.parse("{\"machine_state\": 0, \"vibration_rms\": 1, \"temperature\": 30}", "m", true))
                .hasMessageContaining("minutes_since_service");
        assertThatThrownBy(() -> ReadingMessages.parse("[1, 2]", "m", false)).hasMessageContaining("an object");
        assertThatThrownBy(() -> ReadingMessages.parse("{\"machine_state\": 0,", "m", false)).isInstanceOf(InvalidInputException.class);
    }
}
