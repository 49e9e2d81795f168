package kiban.serve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import kiban.core.error.InvalidInputException;

/**
 * How a {@link PolicyServer} runs. {@code maxBatch} requests at most run as one forward pass;
 * {@code maxWaitMs} is how long the first request of a batch waits for company (0: take whatever
 * queued while the previous pass ran, which batches under load and adds no latency when idle).
 * {@code apiKey} is null for none; {@code tlsKeystore} null for plain HTTP.
 */
public record ServeConfig(
        Path checkpoint,
        String host,
        int port,
        String apiKey,
        int maxBatch,
        double maxWaitMs,
        int maxMessageBytes,
        Path tlsKeystore,
        String tlsKeystorePassword) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8000;
    public static final int DEFAULT_MAX_BATCH = 32;
    public static final double DEFAULT_MAX_WAIT_MS = 0;
    /** Large enough for a few camera images; openpi sets no limit, but a public server needs one. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

    /** Checks every value and refuses a non-loopback address without an API key. */
    public ServeConfig {
        if (port < 0 || port > 65535) {
            throw new InvalidInputException("--port", "", "a port in [0, 65535]", String.valueOf(port));
        }
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new InvalidInputException("--max-batch", "", "a batch size in [1, 4096]", String.valueOf(maxBatch));
        }
        if (!(maxWaitMs >= 0 && maxWaitMs <= 1000)) {
            throw new InvalidInputException("--max-wait-ms", "", "milliseconds in [0, 1000]", String.valueOf(maxWaitMs));
        }
        if (maxMessageBytes < 1024) {
            throw new InvalidInputException("--max-message-bytes", "", "at least 1024", String.valueOf(maxMessageBytes));
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new InvalidInputException("--api-key-file", "", "a non-empty key", "an empty file");
        }
        if (apiKey == null && !isLoopback(host)) {
            throw new InvalidInputException("--host", "", "an API key (--api-key-file) to bind to the non-loopback address "
                    + host + "; anyone who can reach it could drive the robot", "no key");
        }
    }

    public static ServeConfig defaults(Path checkpoint) {
        return new ServeConfig(checkpoint, DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT_MS,
                DEFAULT_MAX_MESSAGE_BYTES, null, null);
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(checkpoint, host, p, apiKey, maxBatch, maxWaitMs, maxMessageBytes, tlsKeystore, tlsKeystorePassword);
    }

    public ServeConfig withHost(String h, String key) {
        return new ServeConfig(checkpoint, h, port, key, maxBatch, maxWaitMs, maxMessageBytes, tlsKeystore, tlsKeystorePassword);
    }

    public ServeConfig withBatching(int batch, double waitMs) {
        return new ServeConfig(checkpoint, host, port, apiKey, batch, waitMs, maxMessageBytes, tlsKeystore, tlsKeystorePassword);
    }

    public ServeConfig withTls(Path keystore, String password) {
        return new ServeConfig(checkpoint, host, port, apiKey, maxBatch, maxWaitMs, maxMessageBytes, keystore, password);
    }

    /** True for a loopback address; an unresolvable host is not loopback. */
    static boolean isLoopback(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new InvalidInputException("--host", "", "a resolvable host name or address", "'" + host + "'");
        }
    }
}
