package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kiban.core.json.Json;
import kiban.health.cell.CellHealthModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthMaintenanceCommandTest {

    /** A tiny study, for the shape of its output (the figures need the seeds of docs/RESULTS.md). */
    @Test
    void printsEveryPolicyWithIntervalsAndWritesAModelTheWatchCanRead(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.json");
        CliRun r = CliRun.of("health", "maintenance", "--train-seeds", "0-2", "--validation-seeds", "3-3", "--test-seeds", "4-6",
                "--model-out", model.toString(), "--report", dir.resolve("report.html").toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = Json.MAPPER.readTree(r.out());
        List<String> names = new ArrayList<>();
        for (JsonNode p : j.get("policies")) {
            names.add(p.get("policy").asText());
            assertThat(p.get("episodes").asInt()).isEqualTo(3);
            JsonNode d = p.get("downtime_fraction");
            assertThat(d.get("low").asDouble()).isLessThanOrEqualTo(d.get("mean").asDouble());
            assertThat(d.get("high").asDouble()).isGreaterThanOrEqualTo(d.get("mean").asDouble());
        }
        assertThat(names).containsExactly("run-to-failure", "fixed-interval", "condition-based", "predictive");
        assertThat(j.get("policies").get(0).get("maintenances").get("mean").asDouble()).isZero();
        assertThat(j.get("model_candidates")).hasSize(CellMaintenanceStudy.CANDIDATES.size());
        assertThat(java.nio.file.Files.readString(dir.resolve("report.html"))).contains("<svg", "predictive", "condition-based",
                "&gt;= 4.5 mm/s");
        CellHealthModel written = CellHealthModel.read(model);
        assertThat(written.toJson()).isEqualTo(j.get("model"));
    }

    @Test
    void refusesTestSeedsThatOverlapTheTrainingSeeds() {
        CliRun r = CliRun.of("health", "maintenance", "--train-seeds", "0-39", "--test-seeds", "30-49");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--test-seeds", "30-49", "apart from --train-seeds 0-39");
        CliRun bad = CliRun.of("health", "maintenance", "--train-seeds", "9-3");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--train-seeds", "'9-3'", "FIRST-LAST");
    }
}
