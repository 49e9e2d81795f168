package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import kiban.client.ClientOptions;
import kiban.client.NdArray;
import kiban.client.PolicyClient;
import kiban.client.Wire;
import kiban.core.policy.PolicyObservation;
import org.junit.jupiter.api.Test;

/**
 * The server runs its warm-up before it answers as ready: the requests go through the policy
 * in-process and then through its own WebSocket, and leave no trace in the metrics.
 */
class WarmupTest {

    private static String metrics(PolicyServer s) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    private static double requestsCounted(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("kiban_serve_requests_total{")).mapToDouble(l -> Double.parseDouble(
                l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void theWarmupRunsThePolicyInProcessAndOverTheSocketBeforeStartReturns() throws Exception {
        FakePolicy policy = new FakePolicy(0, 0);
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(Path.of("fake")).withPort(0).withWarmup(40), p -> policy).start()) {
            // Through the WebSocket: 40, and 40 more if the JIT compiler was still busy after them.
            assertThat(policy.passes.get()).as("40 in-process passes, then 40 or 80 through the WebSocket").isIn(80, 120);
            assertThat(s.warmup().calls()).isEqualTo(policy.passes.get());
            assertThat(requestsCounted(metrics(s))).as("the warm-up's requests are not counted").isZero();
            try (PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
                NdArray a = (NdArray) c.infer(PolicyServerTest.request(PolicyServerTest.history(2))).join().get(Wire.ACTIONS);
                assertThat(a.toRows()).isDeepEqualTo(FakePolicy.expected(PolicyServerTest.history(2), 0));
            }
            // Counted once the reply is written, which the client may see first.
            long until = System.nanoTime() + 5_000_000_000L;
            while (requestsCounted(metrics(s)) < 1 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(requestsCounted(metrics(s))).isEqualTo(1);
        }
    }

    @Test
    void aServerWithAKeyWarmsItsSocketWithTheKey() {
        FakePolicy policy = new FakePolicy(0, 0);
        ServeConfig config = ServeConfig.defaults(Path.of("fake")).withHost("127.0.0.1", PolicyServerTest.KEY).withPort(0).withWarmup(10);
        try (PolicyServer s = new PolicyServer(config, p -> policy).start()) {
            assertThat(policy.passes.get()).isIn(20, 30);
        }
    }

    @Test
    void aPolicyOfOneObservationIsWarmedWithItsOwnRequestShape() {
        java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
        kiban.core.policy.Policy one = new kiban.core.policy.UnbatchedPolicy() {
            private final kiban.core.policy.PolicyMetadata metadata = new kiban.core.policy.PolicyMetadata("one",
                    java.util.List.of(FakePolicy.feature("pos", 2)), java.util.List.of(FakePolicy.feature("velocity", 2)), 1, 4, 2);

            @Override
            public kiban.core.policy.PolicyMetadata metadata() {
                return metadata;
            }

            @Override
            public double[][] inferOne(PolicyObservation[] observed) {
                passes.incrementAndGet();
                return new double[4][2];
            }
        };
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(Path.of("one")).withPort(0).withWarmup(10), p -> one).start()) {
            assertThat(s.warmup().calls()).isIn(20, 30);
            assertThat(passes.get()).isEqualTo(s.warmup().calls());
        }
    }

    @Test
    void aPolicyThatFailsTheWarmupIsServedAllTheSame() {
        // A policy that refuses the warm-up's observation of zeros (as one validating its input might).
        FakePolicy policy = new FakePolicy(0, 0) {
            @Override
            public double[][][] inferBatch(PolicyObservation[][] histories) {
                if (histories[0][0].state()[0] == 0 && histories[0][1].state()[0] == 0) {
                    throw new IllegalArgumentException("all zeros");
                }
                return super.inferBatch(histories);
            }
        };
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(Path.of("fake")).withPort(0).withWarmup(10), p -> policy).start();
                PolicyClient c = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
            assertThat(s.warmup().calls()).isZero();
            Map<String, Object> reply = c.infer(PolicyServerTest.request(PolicyServerTest.history(1))).join();
            assertThat(((NdArray) reply.get(Wire.ACTIONS)).toRows()).isDeepEqualTo(FakePolicy.expected(PolicyServerTest.history(1), 0));
        }
    }
}
