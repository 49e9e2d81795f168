package kiban.health.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.core.json.FieldReader;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    private static final List<String> LABELS = List.of("ok", "moved", "lost");

    @Test
    void countsTruthAgainstPrediction() {
        ConfusionMatrix m = new ConfusionMatrix(LABELS);
        int[][] pairs = {{0, 0}, {0, 0}, {0, 1}, {1, 1}, {2, 0}, {2, 2}, {1, 1}};
        for (int[] p : pairs) {
            m.add(p[0], p[1]);
        }
        assertThat(m.count(0, 0)).isEqualTo(2);
        assertThat(m.count(0, 1)).isEqualTo(1);
        assertThat(m.count(1, 1)).isEqualTo(2);
        assertThat(m.count(2, 0)).isEqualTo(1);
        assertThat(m.count(1, 0)).isZero();
        assertThat(m.total()).isEqualTo(7);
        assertThat(m.correct()).isEqualTo(5);
        assertThat(m.accuracy()).isEqualTo(5 / 7.0);
        assertThat(m.toText().lines().toList()).containsExactly(
                "true \\ predicted     ok  moved   lost",
                "ok                    2      1      0",
                "moved                 0      2      0",
                "lost                  1      0      1");
    }

    @Test
    void poolsFoldsAndRoundTripsThroughJson() {
        ConfusionMatrix a = new ConfusionMatrix(LABELS);
        a.add(0, 0);
        a.add(2, 1);
        ConfusionMatrix b = new ConfusionMatrix(LABELS);
        b.add(2, 1);
        a.add(b);
        assertThat(a.count(2, 1)).isEqualTo(2);
        ConfusionMatrix back = ConfusionMatrix.read(FieldReader.root(a.toJson(), "m.json"), LABELS);
        assertThat(back.toJson()).isEqualTo(a.toJson());
        assertThat(new ConfusionMatrix(LABELS).accuracy()).isNaN();
    }

    @Test
    void readRefusesOtherLabelsAndNegativeCounts() {
        ConfusionMatrix a = new ConfusionMatrix(LABELS);
        assertThatThrownBy(() -> ConfusionMatrix.read(FieldReader.root(a.toJson(), "m.json"), List.of("ok", "moved")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("m.json: field 'labels'");
        var json = a.toJson();
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("counts").get(1)).set(2, -1);
        assertThatThrownBy(() -> ConfusionMatrix.read(FieldReader.root(json, "m.json"), LABELS))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("counts[1][2] = -1");
    }
}
