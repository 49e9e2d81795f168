package kiban.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import kiban.client.ClientOptions;
import kiban.client.RemotePolicy;
import kiban.core.json.Json;
import kiban.policy.run.Policies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @Test
    void refusesANonLoopbackBindWithoutAKey(@TempDir Path dir) {
        CliRun r = CliRun.of("serve", "--checkpoint", dir.toString(), "--host", "0.0.0.0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--host", "API key", "0.0.0.0");
    }

    @Test
    void servesATrainedRunAndAnswersHealthz(@TempDir Path dir) throws Exception {
        Path run = CliRun.tinyCheckpoint("pusht", dir);
        Path key = dir.resolve("key");
        Files.writeString(key, "kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe\n");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(-1);
        Thread serving = new Thread(() -> {
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            code.set(cli.execute("serve", "--checkpoint", run.toString(), "--port", "0", "--api-key-file", key.toString(), "--json"));
        });
        serving.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!out.toString().contains("\n") && serving.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(out.toString()).as(err.toString()).contains("ws://127.0.0.1:");
        JsonNode announced = Json.MAPPER.readTree(out.toString());
        int port = announced.get("port").asInt();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("OK\n");
            HttpResponse<String> meta = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/metadata"))
                    .header("Authorization", "Api-Key kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(meta.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(meta.body()).get("policy_type").asText()).isEqualTo("mlp");
        }
        // What 'kiban run --server URL' will use: the same actions as the policy loaded locally.
        try (RemotePolicy remote = RemotePolicy.connect(URI.create(announced.get("url").asText()),
                ClientOptions.defaults().withApiKey("kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe"));
                var local = Policies.load(run)) {
            double[][] history = new double[local.metadata().observationSteps()][local.metadata().observationDim()];
            for (double[] o : history) {
                java.util.Arrays.fill(o, 100);
            }
            double[][] expected = local.infer(history);
            double[][] got = remote.infer(history);
            for (int h = 0; h < expected.length; h++) {
                for (int a = 0; a < expected[h].length; a++) {
                    assertThat(got[h][a]).isCloseTo(expected[h][a], org.assertj.core.api.Assertions.within(1e-6));
                }
            }
        }
        serving.interrupt();
        serving.join(10_000);
        assertThat(serving.isAlive()).isFalse();
        assertThat(code.get()).as(err.toString()).isZero();
    }
}
