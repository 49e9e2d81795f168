package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class ServeConfigTest {

    @Test
    void refusesANonLoopbackBindWithoutAKey() {
        ServeConfig local = ServeConfig.defaults(Path.of("run"));
        assertThatThrownBy(() -> local.withHost("0.0.0.0", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContainingAll("--host", "API key", "0.0.0.0");
        assertThat(local.withHost("0.0.0.0", "key").apiKey()).isEqualTo("key");
        assertThat(local.withHost("localhost", null).host()).isEqualTo("localhost");
        assertThat(local.withHost("::1", null).host()).isEqualTo("::1");
    }

    @Test
    void checksLimits() {
        ServeConfig c = ServeConfig.defaults(Path.of("run"));
        assertThatThrownBy(() -> c.withBatching(0, 0)).hasMessageContaining("--max-batch");
        assertThatThrownBy(() -> c.withBatching(8, -1)).hasMessageContaining("--max-wait-ms");
        assertThatThrownBy(() -> c.withPort(70000)).hasMessageContaining("--port");
        assertThatThrownBy(() -> c.withHost("127.0.0.1", " ")).hasMessageContaining("--api-key-file");
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
}
