package kiban.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** How the client behaves before any server answers: what it refuses to send, and what it says while it waits. */
class PolicyClientTest {

    private static final String KEY = "kT3x9-VbQ2mZr8LwY4pN6sHd1JcF0aUe";

    @Test
    void refusesToSendAKeyInClearTextToAnotherMachine() {
        // 192.0.2.0/24 is TEST-NET-1: nothing answers there, and the refusal must come before any attempt.
        ClientOptions options = ClientOptions.defaults().withApiKey(KEY).withConnectTimeout(Duration.ofSeconds(20)).withNotices(null);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> PolicyClient.connect(URI.create("ws://192.0.2.7:8000/"), options))
                .isInstanceOf(PolicyServerException.class)
                .hasMessageContainingAll("ws://192.0.2.7:8000/", "clear text", "wss://", "--allow-plaintext");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(2);
        // Loopback, wss://, no key, or an explicit allowance: no refusal.
        PolicyClient.checkKeyTransport(URI.create("ws://127.0.0.1:8000/"), options);
        PolicyClient.checkKeyTransport(URI.create("ws://localhost:8000/"), options);
        PolicyClient.checkKeyTransport(URI.create("wss://192.0.2.7:8000/"), options);
        PolicyClient.checkKeyTransport(URI.create("ws://192.0.2.7:8000/"), options.withApiKey(null));
        PolicyClient.checkKeyTransport(URI.create("ws://192.0.2.7:8000/"), options.withAllowPlaintextKey(true));
    }

    @Test
    void saysAtOnceThatItIsWaitingForAServerThatIsNotUp() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> notices = new CopyOnWriteArrayList<>();
        List<Long> when = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        URI uri = URI.create("ws://127.0.0.1:" + port + "/");
        ClientOptions options = ClientOptions.defaults().withConnectTimeout(Duration.ofSeconds(4)).withNotices(m -> {
            notices.add(m);
            when.add(System.nanoTime() - t0);
        });
        assertThatThrownBy(() -> PolicyClient.connect(uri, options)).isInstanceOf(PolicyServerException.class)
                .hasMessageContainingAll(uri.toString(), "4 s", "connection refused", "kiban serve")
                .hasMessageNotContaining("java.");
        assertThat(notices).isNotEmpty();
        assertThat(notices.getFirst()).contains("waiting for the policy server at " + uri, "connection refused", "retrying", "4 s");
        // After the first refused attempt, not at the end of the wait (a refusal takes milliseconds; allow a busy machine).
        assertThat(when.getFirst() / 1e9).isLessThan(3.0);
    }
}
