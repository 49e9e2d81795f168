package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class ServeConfigTest {

    private static final String KEY = PolicyServerTest.KEY;

    @Test
    void refusesANonLoopbackBindWithoutAKey() {
        ServeConfig local = ServeConfig.defaults(Path.of("run"));
        assertThatThrownBy(() -> local.withHost("0.0.0.0", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContainingAll("--host", "API key", "0.0.0.0", "--generate-key");
        assertThat(local.withHost("localhost", null).host()).isEqualTo("localhost");
        assertThat(local.withHost("::1", null).host()).isEqualTo("::1");
    }

    @Test
    void aNonLoopbackBindNeedsTlsUnlessPlaintextIsAllowed() {
        ServeConfig local = ServeConfig.defaults(Path.of("run"));
        assertThatThrownBy(() -> local.withHost("0.0.0.0", KEY)).isInstanceOf(InvalidInputException.class)
                .hasMessageContainingAll("--host", "TLS", "--tls-keystore", "--allow-plaintext");
        assertThat(local.withAccess(ServeAccess.defaults().withAllowPlaintext(true)).withHost("0.0.0.0", KEY).apiKey()).isEqualTo(KEY);
        assertThat(local.withTls(Path.of("server.p12"), "pw").withHost("0.0.0.0", KEY).host()).isEqualTo("0.0.0.0");
    }

    @Test
    void refusesKeysOfFewerThan128RandomBits() {
        ServeConfig local = ServeConfig.defaults(Path.of("run"));
        for (String weak : List.of("s3cret-key", "0123456789abcdef0123456789abcde", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "abcabcabcabcabcabcabcabcabcabcabc", "password1234")) {
            assertThatThrownBy(() -> local.withHost("127.0.0.1", weak)).as(weak).isInstanceOf(InvalidInputException.class)
                    .hasMessageContainingAll("--api-key-file", "128", "--generate-key");
        }
        // 32 hex digits, 22 base64 characters and the generated key are enough.
        for (String strong : List.of("9f86d081884c7d659a2feaa0c55ad015", KEY,
                "Zx8-Qp2_Lm4vNb7Rt1Wy9K", ApiKey.generate())) {
            assertThat(local.withHost("127.0.0.1", strong).apiKey()).isEqualTo(strong);
        }
    }

    @Test
    void generatedKeysAre256BitsAndDiffer() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String k = ApiKey.generate();
            assertThat(k).hasSize(43).matches("[A-Za-z0-9_-]+");
            keys.add(k);
        }
        assertThat(keys).hasSize(20);
    }

    @Test
    void checksLimits() {
        ServeConfig c = ServeConfig.defaults(Path.of("run"));
        assertThatThrownBy(() -> c.withBatching(0, 0)).hasMessageContaining("--max-batch");
        assertThatThrownBy(() -> c.withBatching(8, -1)).hasMessageContaining("--max-wait-ms");
        assertThatThrownBy(() -> c.withPort(70000)).hasMessageContaining("--port");
        assertThatThrownBy(() -> c.withHost("127.0.0.1", " ")).hasMessageContaining("--api-key-file");
        ServeLimits l = ServeLimits.defaults();
        assertThatThrownBy(() -> l.withMaxConnections(0)).hasMessageContaining("--max-connections");
        assertThatThrownBy(() -> l.withMaxQueue(0)).hasMessageContaining("--max-queue");
        assertThatThrownBy(() -> l.withMaxMessageObjects(1)).hasMessageContaining("--max-message-objects");
        assertThatThrownBy(() -> l.withIdleTimeout(Duration.ZERO)).hasMessageContaining("--idle-timeout-s");
        assertThatThrownBy(() -> ServeAccess.defaults().withAllowOrigins(List.of("https://a.example/path")))
                .hasMessageContaining("--allow-origin");
        assertThat(ServeAccess.defaults().withAllowOrigins(List.of("HTTPS://Dash.Example:8443/")).allowOrigins())
                .containsExactly("https://dash.example:8443");
    }

    @Test
    void comparesKeysAsOpenpiSendsThem() {
        ApiKey key = new ApiKey("abc");
        assertThat(key.accepts("Api-Key abc")).isTrue();
        assertThat(key.accepts("Bearer abc")).isTrue();
        assertThat(key.accepts("Api-Key abcd")).isFalse();
        assertThat(key.accepts("abc")).isFalse();
        assertThat(key.accepts(null)).isFalse();
    }

    @Test
    void reloadsAreConfinedToTheCheckpointsFolderByDefault() {
        ServeConfig c = ServeConfig.defaults(Path.of("/srv/models/pusht"));
        assertThat(c.modelRoot()).isEqualTo(Path.of("/srv/models"));
        assertThat(c.withAccess(ServeAccess.defaults().withReload(true, Path.of("/srv"))).modelRoot()).isEqualTo(Path.of("/srv"));
    }
}
