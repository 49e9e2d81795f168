package kiban.serve;

import java.time.Duration;
import kiban.client.MsgpackNumpy;
import kiban.core.error.InvalidInputException;

/**
 * What one {@link PolicyServer} will hold for its clients, so that no client (or many) can grow
 * its heap, threads or queue without bound. Every limit has a default that a robot's traffic
 * stays far below.
 *
 * @param maxMessageBytes largest request (a WebSocket message or an HTTP body)
 * @param maxMessageObjects most msgpack values one request may decode to; bounds the heap a small
 *     message of one-byte elements would cost
 * @param maxConnections most TCP connections open at once; further ones wait in the kernel's
 *     accept queue until one closes
 * @param maxQueue most requests waiting for the model across all clients; beyond it HTTP answers
 *     503 with Retry-After and a WebSocket gets an error reply and a close (1013, try again later);
 *     at {@code maxConnections x maxInFlight} or more, no client can fill it for the others
 * @param maxInFlight most requests one WebSocket connection may have waiting for replies
 * @param idleTimeout how long an HTTP or WebSocket connection may stay silent (or not read its
 *     replies) before the server closes it
 * @param maxAuthFailures wrong or missing API keys one client address may send per minute; beyond
 *     that its requests are answered 429 without looking at the key
 */
public record ServeLimits(
        int maxMessageBytes,
        int maxMessageObjects,
        int maxConnections,
        int maxQueue,
        int maxInFlight,
        Duration idleTimeout,
        int maxAuthFailures) {

    /** Large enough for a few camera images; openpi sets no limit, but a public server needs one. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;
    /** An observation is a map of a few arrays (each 5 values with its shape); 10,000 leaves room for nested maps. */
    public static final int DEFAULT_MAX_MESSAGE_OBJECTS = MsgpackNumpy.DEFAULT_MAX_OBJECTS;
    public static final int DEFAULT_MAX_CONNECTIONS = 128;
    /** A robot has one request in flight, two with asynchronous inference; 8 leaves room to pipeline. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 8;
    /**
     * Every connection's requests in flight: with the defaults a client that floods the server from
     * its connections holds its own places in the queue and never takes another client's.
     */
    public static final int DEFAULT_MAX_QUEUE = DEFAULT_MAX_CONNECTIONS * DEFAULT_MAX_IN_FLIGHT;
    /** Python's websockets pings every 20 s, so an idle openpi client stays connected. */
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS);
    public static final int DEFAULT_MAX_AUTH_FAILURES = 10;

    public ServeLimits {
        if (maxMessageBytes < 1024) {
            throw new InvalidInputException("--max-message-bytes", "", "at least 1024", String.valueOf(maxMessageBytes));
        }
        if (maxMessageObjects < 16) {
            throw new InvalidInputException("--max-message-objects", "", "at least 16", String.valueOf(maxMessageObjects));
        }
        if (maxConnections < 1) {
            throw new InvalidInputException("--max-connections", "", "at least 1", String.valueOf(maxConnections));
        }
        if (maxQueue < 1) {
            throw new InvalidInputException("--max-queue", "", "at least 1", String.valueOf(maxQueue));
        }
        if (maxInFlight < 1) {
            throw new InvalidInputException("max in flight", "", "at least 1", String.valueOf(maxInFlight));
        }
        if (idleTimeout == null || idleTimeout.toMillis() < 100) {
            throw new InvalidInputException("--idle-timeout-s", "", "at least 0.1 s", String.valueOf(idleTimeout));
        }
        if (maxAuthFailures < 1) {
            throw new InvalidInputException("max auth failures", "", "at least 1", String.valueOf(maxAuthFailures));
        }
    }

    public static ServeLimits defaults() {
        return new ServeLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_OBJECTS, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_QUEUE,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_AUTH_FAILURES);
    }

    public ServeLimits withMaxMessageBytes(int n) {
        return new ServeLimits(n, maxMessageObjects, maxConnections, maxQueue, maxInFlight, idleTimeout, maxAuthFailures);
    }

    public ServeLimits withMaxMessageObjects(int n) {
        return new ServeLimits(maxMessageBytes, n, maxConnections, maxQueue, maxInFlight, idleTimeout, maxAuthFailures);
    }

    public ServeLimits withMaxConnections(int n) {
        return new ServeLimits(maxMessageBytes, maxMessageObjects, n, maxQueue, maxInFlight, idleTimeout, maxAuthFailures);
    }

    public ServeLimits withMaxQueue(int n) {
        return new ServeLimits(maxMessageBytes, maxMessageObjects, maxConnections, n, maxInFlight, idleTimeout, maxAuthFailures);
    }

    public ServeLimits withMaxInFlight(int n) {
        return new ServeLimits(maxMessageBytes, maxMessageObjects, maxConnections, maxQueue, n, idleTimeout, maxAuthFailures);
    }

    public ServeLimits withIdleTimeout(Duration d) {
        return new ServeLimits(maxMessageBytes, maxMessageObjects, maxConnections, maxQueue, maxInFlight, d, maxAuthFailures);
    }

    public ServeLimits withMaxAuthFailures(int n) {
        return new ServeLimits(maxMessageBytes, maxMessageObjects, maxConnections, maxQueue, maxInFlight, idleTimeout, n);
    }
}
