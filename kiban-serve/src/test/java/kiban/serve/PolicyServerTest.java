package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import kiban.client.ClientOptions;
import kiban.client.DType;
import kiban.client.NdArray;
import kiban.client.PolicyClient;
import kiban.client.PolicyServerException;
import kiban.client.RemotePolicy;
import kiban.client.Wire;
import kiban.core.json.Json;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyServerTest {

    /** A key of more than 128 random bits, as the server requires. */
    static final String KEY = "kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        http.close();
    }

    private PolicyServer serve(ServeConfig config, Map<Path, Policy> policies) {
        // No warm-up: these policies count their passes, sleep or hold at a gate (WarmupTest covers it).
        PolicyServer s = new PolicyServer(config.withPort(0).withWarmup(0), p -> {
            Policy policy = policies.get(p);
            if (policy == null) {
                throw new kiban.core.error.KibanException(p + ": no such run");
            }
            return policy;
        }).start();
        open.add(s);
        return s;
    }

    private PolicyServer serve(Policy policy) {
        return serve(ServeConfig.defaults(Path.of("fake")), Map.of(Path.of("fake"), policy));
    }

    private PolicyClient client(PolicyServer s, String key) {
        PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults().withApiKey(key)
                .withConnectTimeout(Duration.ofSeconds(5)));
        open.add(c);
        return c;
    }

    static Map<String, Object> request(double[][] history) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Wire.STATE, NdArray.float64(history));
        return m;
    }

    static double[][] history(int i) {
        return new double[][] {{i, 0.5, -1}, {2, i * 0.25, 3}};
    }

    private HttpResponse<String> get(PolicyServer s, String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        if (key != null) {
            b.header("Authorization", "Api-Key " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(PolicyServer s, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Api-Key " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sendsMetadataOnConnectAndAnswersEachRequestInOrder() {
        PolicyServer s = serve(ServeConfig.defaults(Path.of("fake")).withLimits(ServeLimits.defaults().withMaxInFlight(64)),
                Map.of(Path.of("fake"), new FakePolicy(0, 0)));
        PolicyClient c = client(s, null);
        assertThat(c.metadata()).containsEntry("policy_type", "fake").containsEntry("horizon", 4L)
                .containsEntry("observation_steps", 2L).containsEntry("server", "kiban");

        List<CompletableFuture<Map<String, Object>>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            replies.add(c.infer(request(history(i))));
        }
        for (int i = 0; i < 50; i++) {
            Map<String, Object> r = replies.get(i).join();
            NdArray actions = (NdArray) r.get(Wire.ACTIONS);
            assertThat(actions.dtype()).isEqualTo(DType.FLOAT64);
            assertThat(actions.toRows()).isDeepEqualTo(FakePolicy.expected(history(i), 0));
            @SuppressWarnings("unchecked")
            Map<String, Object> timing = (Map<String, Object>) r.get(Wire.SERVER_TIMING);
            assertThat(timing).containsKey("infer_ms");
        }
        // From the second request on, the previous round trip is reported, as openpi does.
        @SuppressWarnings("unchecked")
        Map<String, Object> timing = (Map<String, Object>) c.infer(request(history(1))).join().get(Wire.SERVER_TIMING);
        assertThat(timing).containsKey("prev_total_ms");
    }

    @Test
    void remotePolicyGivesTheLocalPolicysActionsAndAcceptsOneObservationShape() {
        PolicyServer s = serve(new FakePolicy(0.5, 0));
        try (RemotePolicy remote = RemotePolicy.connect(URI.create(s.url()), ClientOptions.defaults())) {
            assertThat(remote.metadata()).isEqualTo(FakePolicy.METADATA);
            for (int i = 0; i < 5; i++) {
                assertThat(remote.infer(history(i))).isDeepEqualTo(FakePolicy.expected(history(i), 0.5));
            }
        }
    }

    @Test
    void acknowledgesControlMessagesInRequestOrder() {
        PolicyClient c = client(serve(new FakePolicy(0, 50)), null);
        assertThat(c.infer(Map.of(Wire.CONTROL, "episode_start")).join()).containsEntry(Wire.ACK, "episode_start");
        // Pipelined behind a slow inference, the acknowledgement still comes second.
        var first = c.infer(request(history(2)));
        var ack = c.infer(Map.of(Wire.CONTROL, "episode_end"));
        var last = c.infer(request(history(3)));
        assertThat(first.join()).containsKey(Wire.ACTIONS);
        assertThat(ack.join()).containsEntry(Wire.ACK, "episode_end");
        assertThat(((NdArray) last.join().get(Wire.ACTIONS)).toRows()).isDeepEqualTo(FakePolicy.expected(history(3), 0));
    }

    @Test
    void badInputNamesTheKeyAndShapeClosesThatConnectionAndOthersGoOn() {
        PolicyServer s = serve(new FakePolicy(0, 0));
        PolicyClient good = client(s, null);
        assertThat(good.infer(request(history(1))).join()).containsKey(Wire.ACTIONS);

        record Bad(Map<String, Object> request, String[] words) {}
        List<Bad> cases = List.of(
                new Bad(Map.of("observation.image", 1L), new String[] {"observation.state", "no such key", "[2, 3]", "float32"}),
                new Bad(Map.of(Wire.STATE, NdArray.of(DType.FLOAT32, new double[4], 4)), new String[] {"observation.state",
                    "[2, 3]", "[3] (the newest observation", "shape [4]"}),
                new Bad(Map.of(Wire.STATE, new NdArray(DType.parse("<i8", "t"), new int[] {2, 3}, new byte[48])),
                        new String[] {"observation.state", "float32", "int64"}),
                new Bad(request(new double[][] {{1, Double.NaN, 0}, {0, 0, 0}}), new String[] {"observation.state", "finite", "NaN"}),
                new Bad(request(new double[][] {{1, 0, 0}, {0, 0, Double.POSITIVE_INFINITY}}), new String[] {"Infinity"}),
                new Bad(Map.of(Wire.STATE, "a string"), new String[] {"observation.state", "a string"}));
        for (Bad bad : cases) {
            PolicyClient c = client(s, null);
            assertThatThrownBy(() -> c.infer(bad.request()).join()).hasCauseInstanceOf(PolicyServerException.class)
                    .cause().hasMessageContainingAll(bad.words());
            // The good client is still served, on its own connection.
            assertThat(good.infer(request(history(3))).join()).containsKey(Wire.ACTIONS);
        }
    }

    @Test
    void aRequestThatFindsThePolicyIdleRunsOnTheThreadThatReceivedIt() {
        List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
        FakePolicy policy = new FakePolicy(0, 0) {
            @Override
            public double[][][] inferBatch(kiban.core.policy.PolicyObservation[][] histories) {
                threads.add(Thread.currentThread().getName());
                return super.inferBatch(histories);
            }
        };
        PolicyClient c = client(serve(policy), null);
        for (int i = 0; i < 3; i++) {
            assertThat(c.infer(request(history(i))).join()).containsKey(Wire.ACTIONS);
        }
        // Jetty's threads are named after the server's pool; the batcher's worker would add a hand-off to each round trip.
        assertThat(threads).hasSize(3).allMatch(t -> t.startsWith("kiban-serve") && !t.equals("kiban-serve-batcher"));
    }

    @Test
    void openpisPromptReachesThePolicyAsTheInstructionAndABadOneIsNamed() {
        List<String> instructions = java.util.Collections.synchronizedList(new ArrayList<>());
        FakePolicy policy = new FakePolicy(0, 0) {
            @Override
            public double[][][] inferBatch(kiban.core.policy.PolicyObservation[][] histories) {
                for (kiban.core.policy.PolicyObservation[] h : histories) {
                    instructions.add(h[h.length - 1].instruction());
                }
                return super.inferBatch(histories);
            }
        };
        PolicyServer s = serve(policy);
        PolicyClient c = client(s, null);
        Map<String, Object> withPrompt = request(history(1));
        withPrompt.put(Wire.PROMPT, "place the cube in the left zone");
        c.infer(withPrompt).join();
        c.infer(request(history(2))).join();
        try (kiban.client.RemotePolicy remote = kiban.client.RemotePolicy.connect(URI.create(s.url()), ClientOptions.defaults())) {
            remote.infer(java.util.Arrays.stream(kiban.core.policy.PolicyObservation.of(history(3)))
                    .map(o -> o.withInstruction("keep to the right lane")).toArray(kiban.core.policy.PolicyObservation[]::new));
        }
        // Over HTTP, the body's prompt too.
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            var reply = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/infer"))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"prompt\": \"lift the cube\", \"observation.state\": "
                                    + kiban.core.json.Json.MAPPER.writeValueAsString(history(4)) + "}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(instructions).containsExactly("place the cube in the left zone", "", "keep to the right lane", "lift the cube");

        Map<String, Object> numberPrompt = request(history(1));
        numberPrompt.put(Wire.PROMPT, 7L);
        assertThat(c.infer(numberPrompt)).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .withMessageContaining("prompt").withMessageContaining("a string of at most 1000 characters");
        Map<String, Object> longPrompt = request(history(1));
        longPrompt.put(Wire.PROMPT, "a".repeat(1001));
        PolicyClient again = client(s, null);
        assertThat(again.infer(longPrompt)).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .withMessageContaining("prompt").withMessageContaining("1001 characters");
    }

    @Test
    void answersAPingWithAPongAndGoesOnServingBetweenPings() {
        PolicyClient c = client(serve(new FakePolicy(0, 0)), null);
        for (int i = 0; i < 3; i++) {
            assertThat(c.ping()).succeedsWithin(Duration.ofSeconds(5));
            assertThat(((NdArray) c.infer(request(history(i))).join().get(Wire.ACTIONS)).toRows())
                    .isDeepEqualTo(FakePolicy.expected(history(i), 0));
        }
    }

    @Test
    void batchesConcurrentRequestsIntoOneForwardPass() throws Exception {
        FakePolicy policy = new FakePolicy(0, 20);
        PolicyServer s = serve(ServeConfig.defaults(Path.of("fake")).withBatching(16, 5), Map.of(Path.of("fake"), policy));
        List<PolicyClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(client(s, null));
        }
        List<CompletableFuture<Map<String, Object>>> replies = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < clients.size(); i++) {
                replies.add(clients.get(i).infer(request(history(i))));
            }
        }
        for (int k = 0; k < replies.size(); k++) {
            NdArray a = (NdArray) replies.get(k).join().get(Wire.ACTIONS);
            assertThat(a.toRows()).isDeepEqualTo(FakePolicy.expected(history(k % 8), 0));
        }
        assertThat(policy.largestBatch.get()).isGreaterThan(1);
        assertThat(policy.passes.get()).isLessThan(replies.size());
        String metrics = get(s, "/metrics", null).body();
        assertThat(metrics).contains("kiban_serve_batch_size_count", "kiban_serve_requests_total",
                "kiban_serve_latency_seconds_bucket", "kiban_serve_inference_seconds_bucket");
    }

    @Test
    void refusesAClientThatPipelinesWithoutBound() throws InterruptedException {
        // Another client's request holds the model, so the greedy client's requests queue instead of running as they arrive.
        LimitsTest.Gated policy = new LimitsTest.Gated();
        PolicyServer s = serve(ServeConfig.defaults(Path.of("fake")).withBatching(1, 0), Map.of(Path.of("fake"), policy));
        CompletableFuture<Map<String, Object>> held = client(s, null).infer(request(history(0)));
        assertThat(policy.entered.await(5, TimeUnit.SECONDS)).isTrue();
        PolicyClient greedy = client(s, null);
        List<CompletableFuture<Map<String, Object>>> replies = new ArrayList<>();
        // One request past the bound and no more: a send after the server's refusal can meet the closed socket
        // ("Broken pipe") before the client reads the refusal, and then every request fails with that instead.
        for (int i = 0; i < ServeLimits.DEFAULT_MAX_IN_FLIGHT + 1; i++) {
            replies.add(greedy.infer(request(history(i))));
        }
        try {
            // The request beyond the limit is refused while the model is still held.
            assertThat(replies.get(ServeLimits.DEFAULT_MAX_IN_FLIGHT).handle((r, e) -> e).get(5, TimeUnit.SECONDS))
                    .hasMessageContaining("requests in flight");
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("no refusal while the model was held", e);
        } finally {
            policy.gate.countDown();
        }
        // The request the server refused fails with its reason.
        List<String> failures = replies.stream().map(f -> f.handle((r, e) -> e == null ? null
                : (e.getCause() != null ? e.getCause() : e).getMessage()).join()).filter(java.util.Objects::nonNull).toList();
        assertThat(failures).anyMatch(m -> m.contains("requests in flight"));
        assertThat(held.join()).containsKey(Wire.ACTIONS);
        assertThat(client(s, null).infer(request(history(1))).join()).containsKey(Wire.ACTIONS);
    }


    @Test
    void healthzMetadataInferAndMetricsOverHttp() throws Exception {
        PolicyServer s = serve(new FakePolicy(0, 0));
        HttpResponse<String> health = get(s, "/healthz", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("OK\n");

        JsonNode meta = Json.MAPPER.readTree(get(s, "/v1/metadata", null).body());
        assertThat(meta.get("action_dim").asInt()).isEqualTo(2);

        HttpResponse<String> r = post(s, "/v1/infer", "{\"observation.state\": [[1, 0.5, -1], [2, 0.25, 3]]}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode actions = Json.MAPPER.readTree(r.body()).get("actions");
        assertThat(actions.get(3).get(1).asDouble()).isEqualTo(FakePolicy.expected(history(1), 0)[3][1]);

        for (String body : List.of("{not json", "[1, 2]", "{\"observation.state\": [[1, 2], [3, 4]]}",
                "{\"observation.state\": [[1, \"x\", 0], [0, 0, 0]]}", "{\"state\": 1}", "{\"observation.state\": [[1, NaN, 0], [0, 0, 0]]}")) {
            HttpResponse<String> bad = post(s, "/v1/infer", body, null);
            assertThat(bad.statusCode()).as(body).isEqualTo(400);
            assertThat(bad.body()).as(body).contains("error");
        }
        assertThat(post(s, "/v1/infer", "{\"observation.state\": [[1, 2], [3, 4]]}", null).body())
                .contains("observation.state", "[2, 3]");
        // Expect: 100-continue, as curl sends a large body: the server refuses on the declared length without reading
        // the body, and a client still sending 16 MiB when the connection closes may lose the 413 to a reset.
        HttpRequest tooLarge = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/infer")).expectContinue(true)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(ServeLimits.DEFAULT_MAX_MESSAGE_BYTES + 10))).build();
        assertThat(http.send(tooLarge, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        String metrics = get(s, "/metrics", null).body();
        assertThat(metrics).contains("kiban_serve_requests_total{outcome=\"ok\",transport=\"http\"} 1.0",
                "kiban_serve_errors_total{kind=\"bad_input\"}");
        assertThat(get(s, "/nothing", null).statusCode()).isEqualTo(404);
    }

    @Test
    void anApiKeyGuardsEverythingButHealthz() throws Exception {
        String key = KEY;
        PolicyServer s = serve(ServeConfig.defaults(Path.of("fake")).withHost("127.0.0.1", key), Map.of(Path.of("fake"), new FakePolicy(0, 0)));
        assertThat(get(s, "/healthz", null).statusCode()).isEqualTo(200);
        assertThat(get(s, "/v1/metadata", null).statusCode()).isEqualTo(401);
        assertThat(get(s, "/v1/metadata", "wrong").statusCode()).isEqualTo(401);
        assertThat(get(s, "/v1/metadata", key).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> client(s, null)).isInstanceOf(PolicyServerException.class).hasMessageContaining("401");
        assertThatThrownBy(() -> client(s, "wrong")).isInstanceOf(PolicyServerException.class).hasMessageContaining("API key");
        assertThat(client(s, key).infer(request(history(1))).join()).containsKey(Wire.ACTIONS);
    }

    @Test
    void reloadSwapsTheCheckpointWithoutDroppingConnections(@TempDir Path root) throws Exception {
        FakePolicy first = new FakePolicy(0, 0);
        FakePolicy second = new FakePolicy(100, 0);
        Path a = Files.createDirectory(root.resolve("a"));
        Path b = Files.createDirectory(root.resolve("b"));
        Path wrong = Files.createDirectory(root.resolve("wrong"));
        PolicyServer s = serve(ServeConfig.defaults(a).withAccess(ServeAccess.defaults().withReload(true, null)),
                Map.of(a, first, b, second, wrong, new WrongShape()));
        PolicyClient c = client(s, null);
        assertThat(((NdArray) c.infer(request(history(1))).join().get(Wire.ACTIONS)).toRows())
                .isDeepEqualTo(FakePolicy.expected(history(1), 0));

        HttpResponse<String> r = post(s, "/v1/admin/reload", "{\"checkpoint\": \"b\"}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"generation\":1", "\"reloaded\":\"b\"").doesNotContain(root.toString());
        assertThat(first.closed).isTrue();
        // Same connection, new policy.
        assertThat(((NdArray) c.infer(request(history(1))).join().get(Wire.ACTIONS)).toRows())
                .isDeepEqualTo(FakePolicy.expected(history(1), 100));

        HttpResponse<String> refused = post(s, "/v1/admin/reload", "{\"checkpoint\": \"wrong\"}", null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("connected clients would break").doesNotContain(root.toString());
        assertThat(c.infer(request(history(2))).join()).containsKey(Wire.ACTIONS);
    }

    @Test
    void aTimedOutRequestFailsAndTheNextCallReconnects() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean(true);
        FakePolicy policy = new FakePolicy(0, 0) {
            @Override
            public double[][][] inferBatch(kiban.core.policy.PolicyObservation[][] histories) {
                if (slow.getAndSet(false)) {
                    try {
                        Thread.sleep(800);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.inferBatch(histories);
            }
        };
        PolicyServer s = serve(policy);
        try (RemotePolicy remote = RemotePolicy.connect(URI.create(s.url()), ClientOptions.defaults()
                .withRequestTimeout(Duration.ofMillis(300)))) {
            assertThatThrownBy(() -> remote.infer(history(1))).isInstanceOf(PolicyServerException.class)
                    .hasMessageContaining("no reply within 300 ms");
            Thread.sleep(700); // the slow pass ends; the next request need not queue behind it
            assertThat(remote.infer(history(2))).isDeepEqualTo(FakePolicy.expected(history(2), 0));
        }
    }

    @Test
    void closesAConnectionWhoseMessageIsOverTheLimit() {
        ServeConfig small = ServeConfig.defaults(Path.of("fake")).withBatching(8, 0)
                .withLimits(ServeLimits.defaults().withMaxMessageBytes(4096));
        PolicyServer s = serve(small, Map.of(Path.of("fake"), new FakePolicy(0, 0)));
        PolicyClient c = client(s, null);
        Map<String, Object> big = new LinkedHashMap<>(request(history(1)));
        big.put("observation.images.top", new byte[8192]);
        assertThatThrownBy(() -> c.infer(big).join()).cause().isInstanceOf(PolicyServerException.class)
                .hasMessageContaining("1009");
        assertThat(client(s, null).infer(request(history(1))).join()).containsKey(Wire.ACTIONS);
    }

    @Test
    void clientRetriesUntilTheServerIsUp() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        AtomicReference<PolicyServer> later = new AtomicReference<>();
        Thread starter = new Thread(() -> {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                return;
            }
            later.set(new PolicyServer(ServeConfig.defaults(Path.of("fake")).withPort(port), p -> new FakePolicy(0, 0)).start());
        });
        starter.start();
        try (PolicyClient c = PolicyClient.connect(URI.create("ws://127.0.0.1:" + port + "/"),
                ClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(10)))) {
            assertThat(c.infer(request(history(1))).join()).containsKey(Wire.ACTIONS);
        } finally {
            starter.join();
            if (later.get() != null) {
                later.get().close();
            }
        }
    }

    /** Reads three observations of three: a reload onto it must be refused. */
    static final class WrongShape implements UnbatchedPolicy {
        @Override
        public kiban.core.policy.PolicyMetadata metadata() {
            return new kiban.core.policy.PolicyMetadata("wrong", FakePolicy.METADATA.observation(), FakePolicy.METADATA.action(), 3, 4, 2);
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            return new double[4][2];
        }
    }
}
