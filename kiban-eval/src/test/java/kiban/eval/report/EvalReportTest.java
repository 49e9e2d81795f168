package kiban.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kiban.eval.EpisodeRecord;
import kiban.eval.EvalResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalReportTest {

    @Test
    void countsAreWholeNumbersInTheReport(@TempDir Path dir) throws Exception {
        List<EpisodeRecord> episodes = List.of(
                new EpisodeRecord(1, "default", true, 1, 10, 100, Map.of("maintenances", 7.0, "oee", 0.81234), null, null),
                new EpisodeRecord(2, "default", true, 1, 10, 100, Map.of("maintenances", 8.0, "oee", 0.8), null, null));
        Path html = dir.resolve("report.html");
        EvalReport.write(html, "counts", new EvalResult("factory-cell", "mlp", 1, episodes, List.of("a"), 0.1), List.of());
        String text = Files.readString(html);
        assertThat(text).contains("<td>7</td>").contains("<td>8</td>").contains("maintenances: <b>7.5</b>")
                .contains("<td>0.8123</td>").contains("<td>0.8</td>").doesNotContain("7.000");
        assertThat(EvalReport.number(0.000012345)).isEqualTo("1.235e-05");
        assertThat(EvalReport.number(-0.0)).isEqualTo("0");
    }
}
