package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kiban.client.ClientOptions;
import kiban.client.PolicyClient;
import kiban.client.Wire;
import kiban.core.policy.PolicyObservation;
import org.junit.jupiter.api.Test;

/**
 * A policy that throws an {@link Error} (a stack overflow, a failed assertion in a native binding)
 * fails only the batch it was running: the worker goes on serving, and the health checks say when
 * the policy fails repeatedly. No reply carries a class name.
 */
class ResilienceTest {

    /** Sums to 666 for the poisoned request. */
    private static final double[][] POISON = {{666, 0, 0}, {0, 0, 0}};

    /** Throws a StackOverflowError for the poisoned history; everything when {@code broken} is set. */
    static final class Fragile extends FakePolicy {
        final AtomicBoolean broken = new AtomicBoolean();

        Fragile(long sleepMillis) {
            super(0, sleepMillis);
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            if (broken.get() || history[0].state()[0] == 666) {
                throw new StackOverflowError("deep inside the policy");
            }
            return super.inferOne(history);
        }
    }

    private static HttpResponse<String> get(HttpClient http, PolicyServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anErrorInThePolicyFailsThatRequestAndServingGoesOn() throws Exception {
        Fragile policy = new Fragile(0);
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(Path.of("fake")).withWarmup(0).withPort(0), p -> policy).start();
                HttpClient http = HttpClient.newHttpClient()) {
            try (PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
                assertThatThrownBy(() -> c.infer(PolicyServerTest.request(POISON)).get(5, TimeUnit.SECONDS))
                        .hasMessageContaining("internal error").hasMessageNotContaining("StackOverflow")
                        .hasMessageNotContaining("java.");
            }
            // The worker survived: the next requests are answered, over both transports.
            try (PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
                assertThat(c.infer(PolicyServerTest.request(PolicyServerTest.history(1))).get(5, TimeUnit.SECONDS))
                        .containsKey(Wire.ACTIONS);
            }
            HttpResponse<String> poisoned = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/infer"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"observation.state\": [[666, 0, 0], [0, 0, 0]]}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(poisoned.statusCode()).isEqualTo(500);
            assertThat(poisoned.body()).contains("internal error").doesNotContain("StackOverflow", "java.", "deep inside");
            assertThat(get(http, s, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(http, s, "/readyz").body()).isEqualTo("ready\n");
        }
    }

    @Test
    void inABatchOnlyThePoisonedRequestFails() throws Exception {
        Fragile policy = new Fragile(30);
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(Path.of("fake")).withWarmup(0)
                .withPort(0).withBatching(8, 20), p -> policy)
                .start();
                PolicyClient good = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults());
                PolicyClient bad = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
            CompletableFuture<Map<String, Object>> g = good.infer(PolicyServerTest.request(PolicyServerTest.history(2)));
            CompletableFuture<Map<String, Object>> b = bad.infer(PolicyServerTest.request(POISON));
            assertThat(g.get(5, TimeUnit.SECONDS)).containsKey(Wire.ACTIONS);
            assertThatThrownBy(() -> b.get(5, TimeUnit.SECONDS)).hasMessageContaining("internal error");
        }
    }

    @Test
    void healthzAndReadyzReportAPolicyThatKeepsFailing() throws Exception {
        Fragile policy = new Fragile(0);
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(Path.of("fake")).withWarmup(0).withPort(0), p -> policy).start();
                HttpClient http = HttpClient.newHttpClient()) {
            assertThat(get(http, s, "/readyz").statusCode()).isEqualTo(200);
            policy.broken.set(true);
            for (int i = 0; i < Batcher.FAILING_AFTER; i++) {
                try (PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
                    assertThatThrownBy(() -> c.infer(PolicyServerTest.request(PolicyServerTest.history(1))).get(5, TimeUnit.SECONDS))
                            .hasMessageContaining("internal error");
                }
            }
            HttpResponse<String> health = get(http, s, "/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("failed its last " + Batcher.FAILING_AFTER + " requests").doesNotContain("java.");
            assertThat(get(http, s, "/readyz").statusCode()).isEqualTo(503);

            // It recovers once the policy answers again.
            policy.broken.set(false);
            try (PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
                assertThat(c.infer(PolicyServerTest.request(PolicyServerTest.history(1))).get(5, TimeUnit.SECONDS))
                        .containsKey(Wire.ACTIONS);
            }
            assertThat(get(http, s, "/healthz").body()).isEqualTo("OK\n");
            assertThat(get(http, s, "/readyz").statusCode()).isEqualTo(200);
        }
    }
}
