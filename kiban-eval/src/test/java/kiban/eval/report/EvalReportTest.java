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

    @Test
    void aRunOfSeveralTasksGetsASuccessRatePerTask(@TempDir Path dir) throws Exception {
        List<EpisodeRecord> episodes = List.of(
                new EpisodeRecord(1, "left", true, 1, 10, 100, Map.of(), null, null),
                new EpisodeRecord(2, "right", false, 0, 0, 100, Map.of(), null, null),
                new EpisodeRecord(3, "left", true, 1, 10, 100, Map.of(), null, null),
                new EpisodeRecord(4, "right", true, 1, 10, 100, Map.of(), null, null));
        EvalResult result = new EvalResult("ur5e-pick-place", "mlp", 1, episodes, List.of("a"), 0.1);
        assertThat(result.successPerTask().get("left").rate()).isEqualTo(1.0);
        assertThat(result.successPerTask().get("right").rate()).isEqualTo(0.5);
        assertThat(result.successPerTask().keySet()).containsExactly("left", "right");
        Path html = dir.resolve("report.html");
        EvalReport.write(html, "tasks", result, List.of());
        assertThat(Files.readString(html)).contains("<h2>Tasks</h2>").contains("<tr><td>left</td><td>2</td><td>1.00</td>")
                .contains("<tr><td>right</td><td>2</td><td>0.50</td>").contains("<th>task</th>");
    }
}
