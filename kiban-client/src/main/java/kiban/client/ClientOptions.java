package kiban.client;

import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * How a {@link PolicyClient} connects: the API key (null for none), how long to keep retrying
 * until the server is up, how long one request may take, the pause between attempts, the TLS
 * context for {@code wss://} (null: the JVM's default trust), whether the key may go in clear text
 * ({@code ws://}) to a host that is not this machine, and where notices go while the client waits
 * for a server that is not up (null: nowhere).
 */
public record ClientOptions(String apiKey, Duration connectTimeout, Duration requestTimeout, Duration retryInterval,
        SSLContext sslContext, boolean allowPlaintextKey, Consumer<String> notices) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(250);
    /** Notices go to stderr, as openpi's client logs "still waiting for server". */
    public static final Consumer<String> STDERR = m -> System.err.println("kiban-client: " + m);

    public ClientOptions {
        if (connectTimeout.isNegative() || requestTimeout.isNegative() || requestTimeout.isZero() || retryInterval.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static ClientOptions defaults() {
        return new ClientOptions(null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_INTERVAL, null, false, STDERR);
    }

    public ClientOptions withApiKey(String key) {
        return new ClientOptions(key, connectTimeout, requestTimeout, retryInterval, sslContext, allowPlaintextKey, notices);
    }

    public ClientOptions withConnectTimeout(Duration d) {
        return new ClientOptions(apiKey, d, requestTimeout, retryInterval, sslContext, allowPlaintextKey, notices);
    }

    public ClientOptions withRequestTimeout(Duration d) {
        return new ClientOptions(apiKey, connectTimeout, d, retryInterval, sslContext, allowPlaintextKey, notices);
    }

    public ClientOptions withSslContext(SSLContext context) {
        return new ClientOptions(apiKey, connectTimeout, requestTimeout, retryInterval, context, allowPlaintextKey, notices);
    }

    /** Lets the key go over {@code ws://} to another machine: only on a network where nobody else listens. */
    public ClientOptions withAllowPlaintextKey(boolean allow) {
        return new ClientOptions(apiKey, connectTimeout, requestTimeout, retryInterval, sslContext, allow, notices);
    }

    /** Where "waiting for the server" notices go; null for nowhere. */
    public ClientOptions withNotices(Consumer<String> sink) {
        return new ClientOptions(apiKey, connectTimeout, requestTimeout, retryInterval, sslContext, allowPlaintextKey, sink);
    }
}
