package kiban.serve;

import java.net.UnknownHostException;
import java.nio.file.Path;
import kiban.client.Wire;
import kiban.core.error.InvalidInputException;

/**
 * How a {@link PolicyServer} runs. {@code maxBatch} requests at most run as one forward pass;
 * {@code maxWaitMs} is how long the first request of a batch waits for company (0: take whatever
 * queued while the previous pass ran, which batches under load and adds no latency when idle).
 * {@code apiKey} is null for none; {@code tlsKeystore} null for plain HTTP. {@code limits} bound
 * what clients can make the server hold; {@code access} says who may reach it beyond the key.
 * {@code warmupCalls} requests run through the server's own path before clients are let in
 * ({@link Warmup}; 0: none).
 */
public record ServeConfig(
        Path checkpoint,
        String host,
        int port,
        String apiKey,
        int maxBatch,
        double maxWaitMs,
        Path tlsKeystore,
        String tlsKeystorePassword,
        ServeLimits limits,
        ServeAccess access,
        int warmupCalls) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8000;
    public static final int DEFAULT_MAX_BATCH = 32;
    public static final double DEFAULT_MAX_WAIT_MS = 0;

    /**
     * Checks every value. Any key must hold {@value ApiKey#MIN_BITS} random bits; a non-loopback
     * address needs a key, and TLS unless {@code access.allowPlaintext()}: on a network a key sent in
     * clear text is a key given to anyone on the path.
     */
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
        if (warmupCalls < 0 || warmupCalls > 1_000_000) {
            throw new InvalidInputException("--warmup", "", "a number of calls in [0, 1000000]", String.valueOf(warmupCalls));
        }
        if (apiKey != null && apiKey.isBlank()) {
            throw new InvalidInputException("--api-key-file", "", "a non-empty key", "an empty file");
        }
        if (apiKey != null) {
            ApiKey.checkStrength(apiKey, "--api-key-file");
        }
        boolean loopback = isLoopback(host);
        if (apiKey == null && !loopback) {
            throw new InvalidInputException("--host", "", "an API key (--api-key-file; kiban serve --generate-key FILE writes one) "
                    + "to bind to the non-loopback address " + host + "; anyone who can reach it could drive the robot", "no key");
        }
        if (!loopback && tlsKeystore == null && !access.allowPlaintext()) {
            throw new InvalidInputException("--host", "", "TLS (--tls-keystore) to bind to the non-loopback address " + host
                    + ", so that the API key and the observations do not cross the network in clear text (--allow-plaintext "
                    + "accepts that, on a network you trust)", "no keystore");
        }
    }

    public static ServeConfig defaults(Path checkpoint) {
        return new ServeConfig(checkpoint, DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT_MS, null, null,
                ServeLimits.defaults(), ServeAccess.defaults(), Warmup.DEFAULT_CALLS);
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(checkpoint, host, p, apiKey, maxBatch, maxWaitMs, tlsKeystore, tlsKeystorePassword, limits,
                access, warmupCalls);
    }

    public ServeConfig withHost(String h, String key) {
        return new ServeConfig(checkpoint, h, port, key, maxBatch, maxWaitMs, tlsKeystore, tlsKeystorePassword, limits, access,
                warmupCalls);
    }

    public ServeConfig withBatching(int batch, double waitMs) {
        return new ServeConfig(checkpoint, host, port, apiKey, batch, waitMs, tlsKeystore, tlsKeystorePassword, limits, access,
                warmupCalls);
    }

    public ServeConfig withTls(Path keystore, String password) {
        return new ServeConfig(checkpoint, host, port, apiKey, maxBatch, maxWaitMs, keystore, password, limits, access,
                warmupCalls);
    }

    public ServeConfig withLimits(ServeLimits l) {
        return new ServeConfig(checkpoint, host, port, apiKey, maxBatch, maxWaitMs, tlsKeystore, tlsKeystorePassword, l,
                access, warmupCalls);
    }

    public ServeConfig withWarmup(int calls) {
        return new ServeConfig(checkpoint, host, port, apiKey, maxBatch, maxWaitMs, tlsKeystore, tlsKeystorePassword, limits,
                access, calls);
    }

    public ServeConfig withAccess(ServeAccess a) {
        return new ServeConfig(checkpoint, host, port, apiKey, maxBatch, maxWaitMs, tlsKeystore, tlsKeystorePassword, limits,
                a, warmupCalls);
    }

    /** The folder reloads are confined to: {@code access.modelRoot()}, else the one holding the served checkpoint. */
    Path modelRoot() {
        if (access.modelRoot() != null) {
            return access.modelRoot().toAbsolutePath().normalize();
        }
        Path parent = checkpoint.toAbsolutePath().normalize().getParent();
        return parent == null ? checkpoint.toAbsolutePath().normalize() : parent;
    }

    /** True for a loopback address; an unresolvable host is not loopback. */
    static boolean isLoopback(String host) {
        try {
            return Wire.resolvesToLoopback(host);
        } catch (UnknownHostException e) {
            throw new InvalidInputException("--host", "", "a resolvable host name or address", "'" + host + "'");
        }
    }
}
