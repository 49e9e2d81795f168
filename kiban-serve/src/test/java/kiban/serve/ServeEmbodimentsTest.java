package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import kiban.client.ClientOptions;
import kiban.client.NdArray;
import kiban.client.PolicyClient;
import kiban.client.RemotePolicy;
import kiban.client.Wire;
import kiban.core.json.Json;
import kiban.core.policy.PolicyObservation;
import kiban.policy.foundation.TinyFoundation;
import kiban.testing.PythonScripts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server of every embodiment of a real foundation run ({@code kiban serve --embodiment all}):
 * an openpi-style Python client (Debian's python3-websockets and python3-msgpack) chooses the
 * embodiment per request on one connection, sending each its instruction as {@code prompt}; a
 * request naming an unknown embodiment, or none, gets an error and the connection goes on.
 */
class ServeEmbodimentsTest {

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void train() {
        run = TinyFoundation.train(dir.resolve("tiny"), 200);
    }

    static ServeConfig config(Path checkpoint) {
        return ServeConfig.defaults(checkpoint).withHost("127.0.0.1", null).withPort(0).withWarmup(200)
                .withAccess(ServeAccess.defaults().withReload(true, null));
    }

    @Test
    void anOpenpiClientChoosesTheEmbodimentAndInstructionPerRequest() throws Exception {
        Path script = PythonScripts.copy(getClass(), dir, "embodiment_client.py", "openpi_client.py");
        try (PolicyServer server = PolicyServer.serving(config(run), ServedPolicies::everyEmbodiment).start()) {
            assertThat(server.warmup().calls()).as("the warm-up covers the embodiments").isGreaterThanOrEqualTo(200);
            JsonNode result = PythonScripts.runJson(script, server.url(), "0.2");

            JsonNode meta = result.get("metadata");
            assertThat(meta.path("policy_type").asText()).isEqualTo("foundation");
            assertThat(meta.path("inputs").path("embodiment").path("one_of").toString()).isEqualTo("[\"line\",\"arm\"]");
            assertThat(meta.path("embodiments").path("line").path("inputs").path("observation.state").path("shape").toString())
                    .isEqualTo("[2]");
            assertThat(meta.path("embodiments").path("arm").path("actions").path("shape").toString()).isEqualTo("[4,3]");
            assertThat(meta.path("embodiments").path("arm").path("instructions").toString())
                    .contains(TinyFoundation.UP, TinyFoundation.DOWN);

            // Each embodiment's chunk has its own width and follows its own instruction.
            JsonNode actions = result.get("actions");
            assertDirection(actions.path("line").path(TinyFoundation.RIGHT), 1, +1);
            assertDirection(actions.path("line").path(TinyFoundation.LEFT), 1, -1);
            assertDirection(actions.path("arm").path(TinyFoundation.UP), 3, +1);
            assertDirection(actions.path("arm").path(TinyFoundation.DOWN), 3, -1);

            // Pipelined: the replies come in request order, the unknown embodiment's error in its place.
            JsonNode piped = result.get("pipelined");
            assertThat(piped.get(0).path("actions").get(0)).hasSize(1);
            assertThat(piped.get(1).path("actions").get(0)).hasSize(3);
            assertThat(piped.get(2).path("error").asText()).contains("embodiment", "'lego-robot'", "line, arm");
            assertThat(piped.get(3).path("actions").get(0)).hasSize(3);
            assertThat(result.path("missing").path("error").asText()).contains("embodiment", "no such key", "line, arm");
            assertThat(result.path("after").path("actions").get(0)).as("the connection goes on after errors").hasSize(3);
        }
    }

    /** {@code chunk} is horizon x {@code width} and moves in the direction {@code sign} (the instruction's). */
    private static void assertDirection(JsonNode chunk, int width, int sign) {
        assertThat(chunk).hasSize(4);
        double sum = 0;
        for (JsonNode row : chunk) {
            assertThat(row).hasSize(width);
            for (JsonNode v : row) {
                sum += v.asDouble();
            }
        }
        // The demonstrations move at about 1 in the instruction's direction.
        assertThat(sign * sum / (4 * width)).as("%s", chunk).isGreaterThan(0.5);
    }

    @Test
    void httpRequestsNameTheirEmbodimentAndReloadKeepsEveryOne() throws Exception {
        try (PolicyServer server = PolicyServer.serving(config(run), ServedPolicies::everyEmbodiment).start();
                HttpClient http = HttpClient.newHttpClient()) {
            // The key may follow the state: the body is read for it first.
            HttpResponse<String> arm = post(http, server, "/v1/infer",
                    "{\"observation.state\": [0.2, 0.2, 0.2, 0.2, 0.2], \"prompt\": \"raise the arm\", \"embodiment\": \"arm\"}");
            assertThat(arm.statusCode()).as(arm.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(arm.body()).path("actions").get(0)).hasSize(3);
            HttpResponse<String> wrongShape = post(http, server, "/v1/infer",
                    "{\"embodiment\": \"line\", \"observation.state\": [0.2, 0.2, 0.2, 0.2, 0.2]}");
            assertThat(wrongShape.statusCode()).isEqualTo(400);
            assertThat(wrongShape.body()).contains("observation.state", "[2]");
            HttpResponse<String> unknown = post(http, server, "/v1/infer", "{\"embodiment\": \"lne\", \"observation.state\": [0, 0]}");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("'lne'", "line, arm");
            HttpResponse<String> notAString = post(http, server, "/v1/infer", "{\"embodiment\": 7, \"observation.state\": [0, 0]}");
            assertThat(notAString.statusCode()).isEqualTo(400);
            assertThat(notAString.body()).contains("a number", "line, arm");
            HttpResponse<String> missing = post(http, server, "/v1/infer", "{\"observation.state\": [0, 0]}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.body()).contains("no such key", "line, arm");
            String metadata = http.send(HttpRequest.newBuilder(URI.create(base(server) + "/v1/metadata")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(Json.MAPPER.readTree(metadata).path("embodiments").size()).isEqualTo(2);

            // A connection open across a reload goes on with every embodiment.
            try (PolicyClient client = PolicyClient.connect(URI.create(server.url()), ClientOptions.defaults())) {
                assertThat(width(client, "line", 2)).isEqualTo(1);
                HttpResponse<String> reload = post(http, server, "/v1/admin/reload", "{}");
                assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
                assertThat(width(client, "arm", 5)).isEqualTo(3);
                assertThat(width(client, "line", 2)).isEqualTo(1);
            }

            // Kiban's own client (kiban run --server) drives the embodiment it names, and must name one here.
            try (RemotePolicy arm5 = RemotePolicy.connect(URI.create(server.url()), ClientOptions.defaults(), "arm")) {
                assertThat(arm5.metadata().observationDim()).isEqualTo(5);
                double[][] chunk = arm5.infer(new PolicyObservation[] {new PolicyObservation(new double[] {0.2, 0.2, 0.2, 0.2, 0.2},
                        Map.of(), TinyFoundation.DOWN)});
                assertThat(chunk).hasDimensions(4, 3);
            }
            assertThatThrownBy(() -> RemotePolicy.connect(URI.create(server.url()), ClientOptions.defaults(), null))
                    .hasMessageContaining("[line, arm]");

            // A folder of one policy cannot replace several embodiments.
            TinyRun.train(dir.resolve("tiny").resolve("mlp"));
            HttpResponse<String> single = post(http, server, "/v1/admin/reload", "{\"checkpoint\": \"mlp\"}");
            assertThat(single.statusCode()).isEqualTo(400);
            assertThat(single.body()).contains("--embodiment all");
        }
    }

    private static int width(PolicyClient client, String embodiment, int dim) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put(Wire.STATE, NdArray.float64(new double[][] {new double[dim]}));
        request.put("embodiment", embodiment);
        NdArray a = (NdArray) client.infer(request).join().get(Wire.ACTIONS);
        return a.shape()[1];
    }

    private static String base(PolicyServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    private static HttpResponse<String> post(HttpClient http, PolicyServer server, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base(server) + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Requests of two embodiments from several pipelining connections batch per embodiment: every
     * forward pass holds one embodiment's requests, and each reply is its own request's, in order.
     */
    @Test
    void requestsOfDifferentEmbodimentsBatchPerEmbodiment() {
        FakePolicy a = new FakePolicy(100, 20);
        FakePolicy b = new FakePolicy(200, 20);
        ServedPolicies both = new ServedPolicies(Map.of("a", a, "b", b), Map.of("b-env", "b"), true);
        try (PolicyServer server = PolicyServer.serving(config(run).withWarmup(0).withBatching(32, 5), d -> both).start()) {
            List<PolicyClient> clients = new ArrayList<>();
            List<CompletableFuture<Map<String, Object>>> replies = new ArrayList<>();
            List<double[][]> histories = new ArrayList<>();
            List<Double> offsets = new ArrayList<>();
            try {
                for (int c = 0; c < 3; c++) {
                    clients.add(PolicyClient.connect(URI.create(server.url()), ClientOptions.defaults()));
                }
                for (int i = 0; i < 8; i++) {
                    for (int c = 0; c < clients.size(); c++) {
                        double[][] history = {{i, c, 1}, {c, i, 2}};
                        boolean toA = (i + c) % 2 == 0;
                        Map<String, Object> request = new LinkedHashMap<>();
                        request.put(Wire.STATE, NdArray.float64(history));
                        request.put("embodiment", toA ? "a" : "b-env"); // a simulator's name answers for its embodiment
                        histories.add(history);
                        offsets.add(toA ? 100.0 : 200.0);
                        replies.add(clients.get(c).infer(request));
                    }
                }
                for (int r = 0; r < replies.size(); r++) {
                    double[] got = ((NdArray) replies.get(r).join().get(Wire.ACTIONS)).toDoubles();
                    double[][] expected = FakePolicy.expected(histories.get(r), offsets.get(r));
                    for (int h = 0; h < 4; h++) {
                        assertThat(got[h * 2 + 1]).as("request %d", r).isCloseTo(expected[h][1], within(1e-9));
                    }
                }
            } finally {
                clients.forEach(PolicyClient::close);
            }
            assertThat(a.largestBatch.get()).as("a's requests went together").isGreaterThan(1);
            assertThat(b.largestBatch.get()).as("b's requests went together").isGreaterThan(1);
        }
        assertThat(a.closed && b.closed).as("closing the server closes every embodiment's policy").isTrue();
    }
}
