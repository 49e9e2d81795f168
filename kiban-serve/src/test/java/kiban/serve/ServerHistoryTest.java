package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import kiban.client.ClientOptions;
import kiban.client.DType;
import kiban.client.NdArray;
import kiban.client.PolicyClient;
import kiban.client.Wire;
import org.junit.jupiter.api.Test;

/**
 * A client that sends the newest observation only, as openpi's client loop does, to a policy that
 * reads two: the server keeps each connection's history, fills its start by repetition, clears it
 * at an episode boundary, and leaves clients that send the whole history stateless.
 */
class ServerHistoryTest {

    private static Map<String, Object> one(double... state) {
        return Map.of(Wire.STATE, NdArray.of(DType.FLOAT32, state, state.length));
    }

    private static double[][] actions(Map<String, Object> reply) {
        return ((NdArray) reply.get(Wire.ACTIONS)).toRows();
    }

    @Test
    void keepsEachConnectionsHistoryForClientsThatSendOneObservation() throws Exception {
        double[] s1 = {1, 2, 3};
        double[] s2 = {0.5, -1, 4};
        double[] s3 = {-2, 0.25, 1};
        double[] s4 = {3, 3, -3};
        try (PolicyServer s = new PolicyServer(ServeConfig.defaults(Path.of("fake")).withPort(0), p -> new FakePolicy(0, 0)).start();
                PolicyClient a = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults());
                PolicyClient b = PolicyClient.connect(URI.create(s.url()), ClientOptions.defaults())) {
            // The first observation stands for the whole history, then the history moves on.
            assertThat(actions(a.infer(one(s1)).join())).isDeepEqualTo(FakePolicy.expected(new double[][] {s1, s1}, 0));
            // Another connection has a history of its own.
            assertThat(actions(b.infer(one(s4)).join())).isDeepEqualTo(FakePolicy.expected(new double[][] {s4, s4}, 0));
            assertThat(actions(a.infer(one(s2)).join())).isDeepEqualTo(FakePolicy.expected(new double[][] {s1, s2}, 0));
            // A whole history sent on the same connection is stateless: it neither reads nor moves the kept one.
            assertThat(actions(a.infer(PolicyServerTest.request(new double[][] {s4, s4})).join()))
                    .isDeepEqualTo(FakePolicy.expected(new double[][] {s4, s4}, 0));
            assertThat(actions(a.infer(one(s3)).join())).isDeepEqualTo(FakePolicy.expected(new double[][] {s2, s3}, 0));
            // [1, dim] is one observation too.
            assertThat(actions(b.infer(Map.of(Wire.STATE, NdArray.of(DType.FLOAT64, s1, 1, 3))).join()))
                    .isDeepEqualTo(FakePolicy.expected(new double[][] {s4, s1}, 0));

            // An episode boundary clears it: the next observation is repeated again.
            assertThat(a.infer(Map.of(Wire.CONTROL, "episode_start")).join()).containsEntry(Wire.ACK, "episode_start");
            assertThat(actions(a.infer(one(s4)).join())).isDeepEqualTo(FakePolicy.expected(new double[][] {s4, s4}, 0));
            assertThat(actions(a.infer(one(s1)).join())).isDeepEqualTo(FakePolicy.expected(new double[][] {s4, s1}, 0));
            a.infer(Map.of(Wire.CONTROL, "episode_end")).join();
            assertThat(actions(a.infer(one(s2)).join())).isDeepEqualTo(FakePolicy.expected(new double[][] {s2, s2}, 0));

            // The metadata says what one observation holds and what resets the history.
            @SuppressWarnings("unchecked")
            Map<String, Object> history = (Map<String, Object>) a.metadata().get("server_history");
            assertThat(history).isNotNull();
            assertThat(history.toString()).contains("observation.state", "[3]", "episode_start");

            // HTTP keeps no history: one observation there is refused with a pointer to the WebSocket.
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/infer"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"observation.state\": [1, 2, 3]}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(400);
                assertThat(r.body()).contains("observation.state", "[2, 3]", "WebSocket");
            }
        }
    }

    @Test
    void historyPadsByRepetitionAndSlides() {
        kiban.core.policy.ObservationHistory h = new kiban.core.policy.ObservationHistory(3);
        var a = kiban.core.policy.PolicyObservation.of(new double[] {1});
        var b = kiban.core.policy.PolicyObservation.of(new double[] {2});
        var c = kiban.core.policy.PolicyObservation.of(new double[] {3});
        var d = kiban.core.policy.PolicyObservation.of(new double[] {4});
        assertThat(h.pushOwned(a)).containsExactly(a, a, a);
        assertThat(h.pushOwned(b)).containsExactly(a, a, b);
        assertThat(h.pushOwned(c)).containsExactly(a, b, c);
        assertThat(h.pushOwned(d)).containsExactly(b, c, d);
        h.clear();
        assertThat(h.size()).isZero();
        assertThat(h.pushOwned(c)).containsExactly(c, c, c);
    }
}
