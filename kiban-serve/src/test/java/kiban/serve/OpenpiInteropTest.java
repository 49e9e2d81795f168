package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import kiban.client.ClientOptions;
import kiban.client.RemotePolicy;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.policy.run.Policies;
import kiban.testing.PythonScripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python client written as openpi's is (Debian's python3-websockets, python3-msgpack and
 * python3-numpy; scripts/install-test-deps installs them) talks to a server running a real trained
 * policy, and gets the actions the Java policy computes for the same observations.
 */
class OpenpiInteropTest {

    @Test
    void anOpenpiStyleClientGetsMetadataAndTheJavaPolicysActions(@TempDir Path dir) throws Exception {
        Path run = TinyRun.train(dir.resolve("run"));
        Path script = PythonScripts.copy(getClass(), dir, "openpi_client.py");
        String key = PolicyServerTest.KEY;
        try (PolicyServer server = new PolicyServer(ServeConfig.defaults(run).withHost("127.0.0.1", key).withPort(0)
                .withAccess(ServeAccess.defaults().withReload(true, null)), Policies::load)
                .start();
                Policy local = Policies.load(run)) {
            JsonNode result = PythonScripts.runJson(script, server.url(), "5", "8", key);

            JsonNode meta = result.get("metadata");
            assertThat(meta.get("policy_type").asText()).isEqualTo("mlp");
            assertThat(meta.get("observation_steps").asInt()).isEqualTo(2);
            assertThat(meta.get("inputs").get("observation.state").get("shape").toString()).isEqualTo("[2,2]");
            assertThat(result.get("actions_dtype").asText()).isEqualTo("<f8");

            JsonNode states = result.get("states");
            JsonNode actions = result.get("actions");
            assertThat(states).hasSize(8);
            for (int i = 0; i < states.size(); i++) {
                double[][] history = Json.MAPPER.treeToValue(states.get(i), double[][].class);
                double[][] expected = local.infer(history);
                double[][] got = Json.MAPPER.treeToValue(actions.get(i), double[][].class);
                assertThat(got).hasNumberOfRows(4);
                for (int h = 0; h < 4; h++) {
                    assertThat(got[h][0]).isCloseTo(expected[h][0], within(1e-6));
                }
            }
            assertThat(result.get("timing").get(1).has("prev_total_ms")).isTrue();

            // The unchanged openpi loop, one observation per call: the server keeps the history, padding the start of
            // each episode by repetition, and the reset starts it afresh.
            JsonNode steps = result.get("steps");
            JsonNode stepActions = result.get("step_actions");
            assertThat(steps).hasSize(7);
            double[] previous = null;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).isTextual()) {
                    assertThat(stepActions.get(i).get("__ack__").asText()).isEqualTo("episode_start");
                    previous = null;
                    continue;
                }
                double[] now = Json.MAPPER.treeToValue(steps.get(i).get("state"), double[].class);
                double[][] expected = local.infer(new double[][] {previous == null ? now : previous, now});
                double[][] got = Json.MAPPER.treeToValue(stepActions.get(i), double[][].class);
                for (int h = 0; h < 4; h++) {
                    assertThat(got[h][0]).as("step %d", i).isCloseTo(expected[h][0], within(1e-6));
                }
                previous = now;
            }
            assertThat(result.get("ack").get("__ack__").asText()).isEqualTo("episode_start");
            assertThat(result.get("error").asText()).contains("Error in inference server", "observation.state", "float32", "[2, 2]");

            // A reload of the real run (on a server thread) keeps the Java client's connection serving.
            try (RemotePolicy remote = RemotePolicy.connect(URI.create(server.url()), ClientOptions.defaults().withApiKey(key))) {
                double[][] history = {{1, 2}, {1.5, 2}};
                double[][] before = remote.infer(history);
                var http = java.net.http.HttpClient.newHttpClient();
                var reload = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/v1/admin/reload")).header("Authorization", "Api-Key " + key).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                http.close();
                assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
                assertThat(remote.infer(history)[3][0]).isCloseTo(before[3][0], within(1e-6));
            }

            // The Java client, as the runtime uses it, agrees too.
            try (RemotePolicy remote = RemotePolicy.connect(URI.create(server.url()), ClientOptions.defaults().withApiKey(key))) {
                double[][] history = {{1, 2}, {1.5, 2}};
                assertThat(remote.infer(history)[3][0]).isCloseTo(local.infer(history)[3][0], within(1e-6));
            }
        }
    }
}
