package kiban.health.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.InvalidInputException;
import kiban.health.cell.CellReading;
import org.junit.jupiter.api.Test;

class ReadingLayoutTest {

    private static FeatureSpec scalar(String name) {
        return new FeatureSpec(name, "", List.of(1), List.of(), List.of(0.0), List.of(1.0), List.of());
    }

    private static FeatureSpec pair(String name) {
        return new FeatureSpec(name, "", List.of(2), List.of(), List.of(0.0, 0.0), List.of(1.0, 1.0), List.of());
    }

    @Test
    void findsTheFeaturesByNameWhereverTheyAre() {
        ReadingLayout layout = ReadingLayout.of(List.of(pair("speeds"), scalar("temperature"), scalar("vibration_rms"),
                scalar("machine_state"), scalar("minutes_since_service")), true, "cell.yaml");
        CellReading r = layout.read(new double[] {1, 1, 55.5, 3.2, 0.2, 42});
        assertThat(r).isEqualTo(new CellReading(CellReading.RUNNING, 3.2, 55.5, 42));
        assertThat(layout.read(new double[] {1, 1, Double.NaN, 3.2, 0, 42})).as("a garbage value is skipped, not fed").isNull();
    }

    @Test
    void aMissingFeatureNamesTheFileAndWhatItHas() {
        List<FeatureSpec> features = List.of(scalar("temperature"), scalar("machine_state"), scalar("minutes_since_service"));
        assertThatThrownBy(() -> ReadingLayout.of(features, false, "cell.yaml")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cell.yaml").hasMessageContaining("vibration_rms")
                .hasMessageContaining("temperature, machine_state, minutes_since_service");
        List<FeatureSpec> noAge = List.of(scalar("temperature"), scalar("machine_state"), scalar("vibration_rms"));
        assertThat(ReadingLayout.of(noAge, false, "cell.yaml").minutesSinceService()).isEqualTo(-1);
        assertThatThrownBy(() -> ReadingLayout.of(noAge, true, "cell.yaml")).hasMessageContaining("minutes_since_service");
    }
}
