package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kiban.core.json.Json;
import kiban.policy.run.Policies;
import kiban.serve.PolicyServer;
import kiban.serve.ServeConfig;
import kiban.testing.PythonScripts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's acceptance, end to end through the CLI: a foundation policy pretrained on a tiny
 * mixture of the four simulators' tasks and a slice of the real Unitree G1 recording; evaluated on
 * every env with each task's instruction; fine-tuned to a new embodiment and to a dataset with no
 * Kiban metadata (the G1 recording); served to an openpi-style Python client sending {@code prompt};
 * run by {@code kiban run}. Tiny budgets: this checks that everything works together, not how well
 * it acts (docs/RESULTS.md has the figures of the full run).
 */
class FoundationAcceptanceTest {

    static final List<String> ENVS = List.of("pusht", "ur5e-pick-place", "highway", "factory-cell");
    static final String LIFT = "pick up the cube and hold it still, at least 10 cm above the table";
    static final String PLACE = "place the cube in the target zone";
    static final Path G1 = Path.of("../../shared/data/lerobot-v2.1-unitree-g1").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static Path pretrained;

    static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @BeforeAll
    static void pretrain() throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, "policy: foundation\nmodel_dim: 32\nheads: 4\nlayers: 1\nbatch: 16\nflow_steps: 3\n"
                + "checkpoint_every: 10\nvalidate_every: 10\nvalidation_fraction: 0.3\n");
        StringBuilder mix = new StringBuilder();
        for (String env : ENVS) {
            Path data = dir.resolve("data-" + env);
            // factory-cell episodes are 7,200 decisions long: two of its two tasks are enough here.
            ok("data", "record", "--env", env, "--task", "all", "--episodes", env.equals("factory-cell") ? "2" : "3",
                    "--out", data.toString());
            mix.append(data).append(":1,");
        }
        mix.append(G1).append(":1:4");
        pretrained = dir.resolve("pretrained");
        CliRun train = ok("train", "--config", config.toString(), "--mix", mix.toString(), "--steps", "20",
                "--out", pretrained.toString(), "--json");
        JsonNode r = Json.MAPPER.readTree(train.out());
        assertThat(r.path("policy").asText()).isEqualTo("foundation");
        assertThat(r.path("embodiments").size()).isEqualTo(5);
        assertThat(r.path("embodiments").path("unitree_g1_inspire").path("action_elements").asInt()).isEqualTo(26);
        assertThat(r.path("embodiments").path("unitree_g1_inspire").path("held_out_action_mse").asDouble()).isPositive();
    }

    @Test
    void everyEnvIsEvaluatedWithEachTasksInstruction() throws Exception {
        for (String env : ENVS) {
            CliRun eval = ok("eval", "--checkpoint", pretrained.toString(), "--env", env, "--task", "all", "--episodes", "2",
                    "--json");
            JsonNode tasks = Json.MAPPER.readTree(eval.out()).path("tasks");
            assertThat(tasks.size()).as(env).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void fineTunesToANewEmbodimentAndToARealRobotsRecording() throws Exception {
        // The line env is no embodiment of the mixture: its state and action heads are added.
        Path line = dir.resolve("data-line");
        ok("data", "record", "--env", "line", "--episodes", "4", "--out", line.toString());
        Path tuned = dir.resolve("tuned-line");
        JsonNode r = Json.MAPPER.readTree(ok("finetune", "--from", pretrained.toString(), "--dataset", line.toString(),
                "--freeze", "trunk", "--steps", "10", "--out", tuned.toString(), "--json").out());
        assertThat(r.path("embodiments").size()).isEqualTo(6);
        ok("eval", "--checkpoint", tuned.toString(), "--env", "line", "--episodes", "2");

        // The real G1 recording has no meta/kiban.json and no simulator: judged by held-out action error.
        Path g1 = dir.resolve("tuned-g1");
        JsonNode g = Json.MAPPER.readTree(ok("finetune", "--from", pretrained.toString(), "--dataset", G1.toString(),
                "--lora", "2", "--steps", "5", "--out", g1.toString(), "--json").out());
        assertThat(g.path("embodiments").path("unitree_g1_inspire").path("held_out_action_mse").asDouble()).isPositive();
    }

    @Test
    void kibanRunDrivesAnEnvWithRealTimeChunking() throws Exception {
        JsonNode r = Json.MAPPER.readTree(ok("run", "--checkpoint", pretrained.toString(), "--env", "ur5e-pick-place",
                "--task", "lift", "--execution", "rtc", "--duration", "2", "--json").out());
        assertThat(r.path("execution").asText()).isEqualTo("rtc");
        assertThat(r.path("inference").path("rtc_switches").asLong()).isPositive();
    }

    @Test
    void anOpenpiClientSendingPromptsIsServed() throws Exception {
        ServeConfig config = ServeConfig.defaults(pretrained).withHost("127.0.0.1", null).withPort(0);
        try (PolicyServer server = new PolicyServer(config, d -> Policies.load(d, Optional.of("ur5e-pick-place"))).start()) {
            JsonNode result = promptClient(server, PLACE, LIFT);
            assertThat(result.path("metadata").path("policy_type").asText()).isEqualTo("foundation");
            assertThat(result.path("metadata").path("instructions").toString()).contains(PLACE, LIFT);
            JsonNode a = result.path("actions").path(PLACE);
            JsonNode b = result.path("actions").path(LIFT);
            assertThat(a.size()).isEqualTo(16);
            assertThat(a.get(0).size()).isEqualTo(7);
            assertThat(b.size()).isEqualTo(16);

            // The HTTP endpoint reads the prompt too.
            HttpClient http = HttpClient.newHttpClient();
            String state = Json.MAPPER.writeValueAsString(new double[2][24]);
            HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/infer"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"observation.state\": " + state + ", \"prompt\": \"lift the cube\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            http.close();
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        }
    }

    /** One embodiment as TorchScript: refused without a choice, then evaluated and served from the export with prompts. */
    @Test
    void anEmbodimentIsExportedToTorchScriptEvaluatedAndServed() throws Exception {
        Path export = dir.resolve("ur5e-ts");
        CliRun refused = CliRun.of("export", "--checkpoint", pretrained.toString(), "--out", export.toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("5 embodiments", "unitree_g1_inspire", "--embodiment");
        assertThat(export).doesNotExist();
        JsonNode r = Json.MAPPER.readTree(ok("export", "--checkpoint", pretrained.toString(), "--embodiment", "ur5e-pick-place",
                "--out", export.toString(), "--python", "/usr/bin/python3", "--json").out());
        assertThat(r.path("policy").asText()).isEqualTo("foundation");
        assertThat(r.path("embodiment").asText()).isEqualTo("ur5e");
        JsonNode eval = Json.MAPPER.readTree(ok("eval", "--checkpoint", export.toString(), "--env", "ur5e-pick-place", "--task",
                "all", "--episodes", "2", "--json").out());
        assertThat(eval.path("policy").asText()).isEqualTo("torchscript");
        assertThat(eval.path("tasks").size()).isGreaterThanOrEqualTo(2);

        ServeConfig config = ServeConfig.defaults(export).withHost("127.0.0.1", null).withPort(0);
        try (PolicyServer server = new PolicyServer(config, Policies::load).start()) {
            JsonNode result = promptClient(server, PLACE, LIFT);
            assertThat(result.path("metadata").path("instructions").toString()).contains(PLACE, LIFT);
            assertThat(result.path("actions").path(PLACE).size()).isEqualTo(16);
            assertThat(result.path("actions").path(LIFT).get(0).size()).isEqualTo(7);
        }
    }

    /** Runs the openpi-style Python client against {@code server} with these prompts; its JSON report. */
    private JsonNode promptClient(PolicyServer server, String... prompts) throws Exception {
        Path script = PythonScripts.copy(FoundationAcceptanceTest.class, dir, "prompt_client.py");
        Path peers = Path.of("../bench/peers").toAbsolutePath().normalize();
        List<String> args = new ArrayList<>(List.of(server.url(), peers.toString()));
        args.addAll(List.of(prompts));
        return PythonScripts.runJson(script, args.toArray(String[]::new));
    }
}
