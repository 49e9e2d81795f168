package kiban.client;

import java.time.Duration;

/**
 * How a {@link PolicyClient} connects: the API key (null for none), how long to keep retrying
 * until the server is up, how long one request may take, and the pause between attempts.
 */
public record ClientOptions(String apiKey, Duration connectTimeout, Duration requestTimeout, Duration retryInterval) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(250);

    public ClientOptions {
        if (connectTimeout.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero() || retryInterval.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static ClientOptions defaults() {
        return new ClientOptions(null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_INTERVAL);
    }

    public ClientOptions withApiKey(String key) {
        return new ClientOptions(key, connectTimeout, requestTimeout, retryInterval);
    }

    public ClientOptions withConnectTimeout(Duration d) {
        return new ClientOptions(apiKey, d, requestTimeout, retryInterval);
    }

    public ClientOptions withRequestTimeout(Duration d) {
        return new ClientOptions(apiKey, connectTimeout, d, retryInterval);
    }
}
