package kiban.health.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellHealthModelTest {

    @Test
    void roundTripsThroughItsFile(@TempDir Path dir) {
        CellHealthModel model = new CellHealthModel(Models.vibrationOnly(), 120, 0.07, "hand-made");
        Path file = dir.resolve("model.json");
        model.write(file);
        CellHealthModel back = CellHealthModel.read(file);
        assertThat(back.toJson()).isEqualTo(model.toJson());
        HealthFeatures f = Models.running(4.3);
        assertThat(back.hazard().estimate(f, 120)).isEqualTo(model.hazard().estimate(f, 120));
    }

    @Test
    void errorsNameTheFileTheFieldAndTheValue(@TempDir Path dir) throws Exception {
        String good = new CellHealthModel(Models.vibrationOnly(), 120, 0.07, "hand-made").toJson().toString();
        Path file = dir.resolve("bad.json");
        Files.writeString(file, good.replace("\"vibration\"", "\"vibe\""));
        assertThatThrownBy(() -> CellHealthModel.read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("covariates[0].name").hasMessageContaining("'vibe'");
        Files.writeString(file, good.replace("\"maintain_at\":0.07", "\"maintain_at\":1.5"));
        assertThatThrownBy(() -> CellHealthModel.read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("maintain_at").hasMessageContaining("1.5");
        Files.writeString(file, good.replace("kiban-cell-hazard", "something-else"));
        assertThatThrownBy(() -> CellHealthModel.read(file)).hasMessageContaining("format").hasMessageContaining("something-else");
    }
}
