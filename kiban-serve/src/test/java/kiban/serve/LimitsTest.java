package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kiban.client.ClientOptions;
import kiban.client.PolicyClient;
import kiban.client.PolicyServerException;
import kiban.client.Wire;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** The server's limits: its queue, the values one message may decode to, its connections and idle timeouts. */
class LimitsTest {

    private static PolicyServer serve(ServeConfig config, long sleepMillis) {
        return new PolicyServer(config.withPort(0), p -> new FakePolicy(0, sleepMillis)).start();
    }

    private static ClientOptions quick() {
        return ClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(5)).withNotices(null);
    }

    /** Holds every forward pass until the gate opens, so the test knows what waits in the queue. */
    static final class Gated extends FakePolicy {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

        Gated() {
            super(0, 0);
        }

        @Override
        public double[][][] inferBatch(kiban.core.policy.PolicyObservation[][] histories) {
            entered.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.inferBatch(histories);
        }
    }

    @Test
    void aFullQueueIsRefusedAsBusyWithRetryAfter() throws Exception {
        // One request runs (held at the gate), two wait; the next finds the queue full.
        ServeConfig config = ServeConfig.defaults(Path.of("fake")).withWarmup(0)
                .withBatching(1, 0).withLimits(ServeLimits.defaults().withMaxQueue(2))
                .withPort(0);
        Gated policy = new Gated();
        try (PolicyServer s = new PolicyServer(config, p -> policy).start(); HttpClient http = HttpClient.newHttpClient()) {
            List<PolicyClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(PolicyClient.connect(URI.create(s.url()), quick()));
                }
                List<CompletableFuture<Map<String, Object>>> replies = new ArrayList<>();
                replies.add(clients.get(0).infer(PolicyServerTest.request(PolicyServerTest.history(0))));
                assertThat(policy.entered.await(5, TimeUnit.SECONDS)).isTrue();
                for (int i = 1; i < 3; i++) {
                    replies.add(clients.get(i).infer(PolicyServerTest.request(PolicyServerTest.history(i))));
                }
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (s.batcher().accepting() && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                HttpResponse<String> busy = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/infer"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"observation.state\": [[1, 0.5, -1], [2, 0.25, 3]]}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
                assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(busy.body()).contains("busy", "--max-queue");
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/readyz"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("queue is full");

                PolicyClient ws = clients.get(3);
                assertThatThrownBy(() -> ws.infer(PolicyServerTest.request(PolicyServerTest.history(9))).get(5, TimeUnit.SECONDS))
                        .hasMessageContainingAll("server busy", "retry in 1 s");
                // On the wire: the text, then a close with 1013 (try again later).
                var outcome = new ServerFuzzTest.Outcome();
                java.net.http.WebSocket raw = http.newWebSocketBuilder().buildAsync(URI.create(s.url()), outcome).get(5, TimeUnit.SECONDS);
                outcome.metadata.get(5, TimeUnit.SECONDS);
                raw.sendBinary(java.nio.ByteBuffer.wrap(kiban.client.MsgpackNumpy.pack(PolicyServerTest.request(PolicyServerTest.history(8)))),
                        true).get(5, TimeUnit.SECONDS);
                assertThat(outcome.result.get(5, TimeUnit.SECONDS)).startsWith("close 1013").contains("busy");
                raw.abort();
                // The queued requests are served all the same.
                policy.gate.countDown();
                for (var r : replies) {
                    assertThat(r.get(5, TimeUnit.SECONDS)).containsKey(Wire.ACTIONS);
                }
            } finally {
                policy.gate.countDown();
                clients.forEach(PolicyClient::close);
            }
        }
    }

    @Test
    void aClientThatGoesAwayGivesBackItsPlacesInTheQueueAtOnce() throws Exception {
        // The model is held at the gate, so nothing leaves the queue by being run: only the cancellation can free it.
        ServeConfig config = ServeConfig.defaults(Path.of("fake")).withWarmup(0)
                .withBatching(1, 0).withLimits(ServeLimits.defaults().withMaxQueue(4))
                .withPort(0);
        Gated policy = new Gated();
        try (PolicyServer s = new PolicyServer(config, p -> policy).start()) {
            PolicyClient holding = PolicyClient.connect(URI.create(s.url()), quick());
            PolicyClient leaving = PolicyClient.connect(URI.create(s.url()), quick());
            PolicyClient staying = PolicyClient.connect(URI.create(s.url()), quick());
            try {
                holding.infer(PolicyServerTest.request(PolicyServerTest.history(0)));
                assertThat(policy.entered.await(5, TimeUnit.SECONDS)).isTrue();
                for (int i = 1; i <= 4; i++) {
                    leaving.infer(PolicyServerTest.request(PolicyServerTest.history(i)));
                }
                assertThat(waitFor(() -> !s.batcher().accepting())).as("the leaving client filled the queue").isTrue();
                leaving.close();
                assertThat(waitFor(() -> s.batcher().accepting())).as("its places are free while the model is still busy").isTrue();
                CompletableFuture<Map<String, Object>> reply = staying.infer(PolicyServerTest.request(PolicyServerTest.history(9)));
                policy.gate.countDown();
                assertThat(reply.get(5, TimeUnit.SECONDS)).containsKey(Wire.ACTIONS);
            } finally {
                policy.gate.countDown();
                holding.close();
                leaving.close();
                staying.close();
            }
        }
    }

    /** Polls {@code condition} for up to 5 s. */
    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    /** A msgpack map {observation.state: ..., prompt: [n nils]}: n + 2 bytes of nils that decode to n objects. */
    private static byte[] manyValues(int n) throws Exception {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(1);
            p.packString("prompt");
            p.packArrayHeader(n);
            for (int i = 0; i < n; i++) {
                p.packNil();
            }
            return p.toByteArray();
        }
    }

    @Test
    void aMessageOfTooManyValuesIsRefusedBeforeItIsBuilt() throws Exception {
        try (PolicyServer s = serve(ServeConfig.defaults(Path.of("fake")).withWarmup(0), 0)) {
            // 8 MiB of one-byte nils would be 8 million objects (some 200 MiB of heap) if decoded.
            byte[] frame = manyValues(8 << 20);
            java.net.http.WebSocket ws;
            var outcome = new ServerFuzzTest.Outcome();
            try (HttpClient http = HttpClient.newHttpClient()) {
                ws = http.newWebSocketBuilder().buildAsync(URI.create(s.url()), outcome).get(5, TimeUnit.SECONDS);
                outcome.metadata.get(5, TimeUnit.SECONDS);
                ws.sendBinary(java.nio.ByteBuffer.wrap(frame), true).get(10, TimeUnit.SECONDS);
                String result = outcome.result.get(10, TimeUnit.SECONDS);
                assertThat(result).startsWith("close 1011").contains("at most " + ServeLimits.DEFAULT_MAX_MESSAGE_OBJECTS + " values");
                ws.abort();
            }
            // Within the budget, the same shape of message decodes (and here fails for want of a state).
            var small = new ServerFuzzTest.Outcome();
            try (HttpClient http = HttpClient.newHttpClient()) {
                ws = http.newWebSocketBuilder().buildAsync(URI.create(s.url()), small).get(5, TimeUnit.SECONDS);
                small.metadata.get(5, TimeUnit.SECONDS);
                ws.sendBinary(java.nio.ByteBuffer.wrap(manyValues(100)), true).get(5, TimeUnit.SECONDS);
                assertThat(small.result.get(5, TimeUnit.SECONDS)).contains("observation.state", "no such key");
                ws.abort();
            }
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
        ServeConfig config = ServeConfig.defaults(Path.of("fake")).withWarmup(0).withLimits(ServeLimits.defaults().withMaxConnections(2));
        try (PolicyServer s = serve(config, 0)) {
            PolicyClient first = PolicyClient.connect(URI.create(s.url()), quick());
            try (PolicyClient second = PolicyClient.connect(URI.create(s.url()), quick())) {
                ClientOptions impatient = quick().withConnectTimeout(Duration.ZERO).withRequestTimeout(Duration.ofMillis(800));
                assertThatThrownBy(() -> PolicyClient.connect(URI.create(s.url()), impatient)).isInstanceOf(PolicyServerException.class);
                first.close();
                try (PolicyClient third = PolicyClient.connect(URI.create(s.url()), quick())) {
                    assertThat(third.infer(PolicyServerTest.request(PolicyServerTest.history(1))).get(5, TimeUnit.SECONDS))
                            .containsKey(Wire.ACTIONS);
                }
                assertThat(second.infer(PolicyServerTest.request(PolicyServerTest.history(1))).get(5, TimeUnit.SECONDS))
                        .containsKey(Wire.ACTIONS);
            }
        }
    }

    @Test
    void silentConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        ServeConfig config = ServeConfig.defaults(Path.of("fake")).withWarmup(0)
                .withLimits(ServeLimits.defaults().withIdleTimeout(Duration.ofMillis(400)));
        try (PolicyServer s = serve(config, 0)) {
            // A TCP connection that never sends a request (a slow-loris client).
            try (Socket raw = new Socket("127.0.0.1", s.port())) {
                raw.setSoTimeout(5000);
                InputStream in = raw.getInputStream();
                long t0 = System.nanoTime();
                try {
                    assertThat(in.read()).isEqualTo(-1);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("the server kept a silent connection open for 5 s", e);
                } catch (java.net.SocketException reset) {
                    // Closed by the server, as wanted.
                }
                assertThat((System.nanoTime() - t0) / 1e9).isLessThan(4);
            }
            // A WebSocket that says nothing after the metadata.
            var silent = new ServerFuzzTest.Outcome();
            try (HttpClient http = HttpClient.newHttpClient()) {
                java.net.http.WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(s.url()), silent).get(5, TimeUnit.SECONDS);
                silent.metadata.get(5, TimeUnit.SECONDS);
                assertThat(silent.result.get(5, TimeUnit.SECONDS)).startsWith("close");
                ws.abort();
            }
        }
    }
}
