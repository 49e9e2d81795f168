package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import kiban.core.json.Json;
import kiban.policy.card.ModelCards;
import kiban.policy.run.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kiban eval of a Kiban run adds its summary to the run's model card. */
class EvalCardTest {

    @Test
    void anEvaluationIsAddedToTheRunsCardAndTheOutputStaysAsItWas(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        Path card = run.resolve(ModelCards.JSON);
        assertThat(Json.readTree(card).path("evaluations").size()).isZero();
        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "2", "--seed", "500",
                "--delay-steps", "1", "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.err()).isEmpty();
        JsonNode printed = Json.MAPPER.readTree(eval.out());
        JsonNode added = Json.readTree(card).path("evaluations").get(0);
        assertThat(added.path("env").asText()).isEqualTo("pusht");
        assertThat(added.path("episodes").asInt()).isEqualTo(2);
        assertThat(added.path("seeds").toString()).isEqualTo("[500,501]");
        assertThat(added.path("execution").asText()).isEqualTo(printed.path("execution").asText());
        assertThat(added.path("action_steps").asInt()).isEqualTo(printed.path("action_steps").asInt());
        assertThat(added.path("delay_steps").asInt()).isEqualTo(1);
        assertThat(added.path("success_rate").asDouble()).isEqualTo(printed.path("success_rate").asDouble());
        assertThat(added.path("success_rate_ci95")).isEqualTo(printed.path("success_rate_ci95"));
        assertThat(added.path("mean_score").asDouble()).isEqualTo(printed.path("mean_score").asDouble());
        assertThat(added.path("step").asLong()).isEqualTo(5);
        assertThat(added.path("tasks").size()).isEqualTo(1);
        assertThat(added.path("date").asText()).isNotEmpty();
        // The eval's own output carries nothing of the card.
        assertThat(printed.has("card")).isFalse();
        assertThat(printed.fieldNames()).toIterable().doesNotContain("evaluations", "date");

        CliRun again = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "1");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("card");
        assertThat(Json.readTree(card).path("evaluations").size()).isEqualTo(2);
        assertThat(Files.readString(run.resolve(ModelCards.MARKDOWN))).contains("| pusht |", "500-501");
    }

    @Test
    void anOlderRunWithoutLineageOrCardIsEvaluatedAndItsCardSaysWhatIsUnknown(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        Files.delete(new RunDirectory(run).lineage());
        Files.delete(run.resolve(ModelCards.JSON));
        Files.delete(run.resolve(ModelCards.MARKDOWN));
        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "1", "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.err()).isEmpty();
        JsonNode card = Json.readTree(run.resolve(ModelCards.JSON));
        assertThat(card.path("evaluations").size()).isEqualTo(1);
        assertThat(card.path("unknown").toString()).contains("lineage.json");
        assertThat(card.path("training").path("datasets").size()).isZero();
        assertThat(run.resolve(ModelCards.MARKDOWN)).exists();
    }

    @Test
    void aFoundationRunsCardNamesTheEmbodimentEvaluated(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        CliRun record = CliRun.of("data", "record", "--env", "pusht", "--episodes", "2", "--out", data.toString());
        assertThat(record.exitCode()).as(record.err()).isZero();
        Path config = dir.resolve("foundation.yaml");
        Files.writeString(config, "policy: foundation\nmodel_dim: 16\nheads: 2\nlayers: 1\nflow_steps: 2\n");
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--config", config.toString(), "--dataset", data.toString(), "--steps", "3", "--batch", "4",
                "--out", run.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode trained = Json.readTree(run.resolve(ModelCards.JSON));
        String embodiment = trained.path("embodiments").get(0).path("name").asText();
        assertThat(trained.path("embodiments").get(0).path("env").asText()).isEqualTo("pusht");
        CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--env", "pusht", "--episodes", "1", "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode added = Json.readTree(run.resolve(ModelCards.JSON)).path("evaluations").get(0);
        assertThat(added.path("embodiment").asText()).isEqualTo(embodiment);
        assertThat(Files.readString(run.resolve(ModelCards.MARKDOWN))).contains("### " + embodiment, "pusht (" + embodiment + ")");
    }
}
