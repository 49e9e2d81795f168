package kiban.client;

import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * How a {@link PolicyClient} connects: the API key (null for none), how long to keep retrying
 * until the server is up, how long one request may take, the pause between attempts, and the
 * TLS context for {@code wss://} (null: the JVM's default trust).
 */
public record ClientOptions(String apiKey, Duration connectTimeout, Duration requestTimeout, Duration retryInterval,
        SSLContext sslContext) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(250);

    public ClientOptions {
        if (connectTimeout.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero() || retryInterval.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static ClientOptions defaults() {
        return new ClientOptions(null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_INTERVAL, null);
    }

    public ClientOptions withApiKey(String key) {
        return new ClientOptions(key, connectTimeout, requestTimeout, retryInterval, sslContext);
    }

    public ClientOptions withConnectTimeout(Duration d) {
        return new ClientOptions(apiKey, d, requestTimeout, retryInterval, sslContext);
    }

    public ClientOptions withRequestTimeout(Duration d) {
        return new ClientOptions(apiKey, connectTimeout, d, retryInterval, sslContext);
    }

    public ClientOptions withSslContext(SSLContext context) {
        return new ClientOptions(apiKey, connectTimeout, requestTimeout, retryInterval, context);
    }
}
