package kiban.client;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import kiban.core.error.KibanException;

/**
 * A client of an openpi-protocol policy server (Kiban's or openpi's). It connects as openpi's
 * {@code WebsocketClientPolicy} does: it retries until the server is up, reads the metadata frame,
 * then keeps one connection. Requests may be pipelined; the server answers each connection in
 * order. A text frame from the server fails the pending requests with the server's text.
 *
 * <p>A request that times out, or a dropped connection, fails the requests in flight and closes the
 * connection (replies would otherwise be matched to the wrong request); the next call reconnects.
 */
public final class PolicyClient implements AutoCloseable {

    /** How often a client still waiting for its server says so. */
    public static final java.time.Duration NOTICE_EVERY = java.time.Duration.ofSeconds(5);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final URI uri;
    private final ClientOptions options;
    private final ExecutorService executor;
    private final HttpClient http;
    private final Object lock = new Object();
    private Connection connection;
    private boolean closed;

    private PolicyClient(URI uri, ClientOptions options) {
        this.uri = uri;
        this.options = options;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kiban-client-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient.Builder b = HttpClient.newBuilder().executor(executor).connectTimeout(options.requestTimeout());
        if (options.sslContext() != null) {
            b.sslContext(options.sslContext());
        }
        this.http = b.build();
    }

    /**
     * Connects, retrying until the server is up or {@code options.connectTimeout()} has passed (with
     * a notice when the first attempt fails, then every {@link #NOTICE_EVERY}). Refuses to send a
     * key over {@code ws://} to another machine unless {@code options.allowPlaintextKey()}.
     */
    public static PolicyClient connect(URI uri, ClientOptions options) {
        checkKeyTransport(uri, options);
        PolicyClient c = new PolicyClient(uri, options);
        try {
            c.connection();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** A key in clear text is only as secret as the network it crosses; this machine's own loopback is fine. */
    static void checkKeyTransport(URI uri, ClientOptions options) {
        if (options.apiKey() == null || options.allowPlaintextKey() || !"ws".equalsIgnoreCase(uri.getScheme())) {
            return;
        }
        String host = uri.getHost();
        boolean loopback;
        try {
            loopback = host != null && Wire.resolvesToLoopback(host);
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new PolicyServerException(uri + ": refusing to send the API key in clear text (ws://) to another machine; "
                    + "serve with TLS and connect to wss:// (kiban serve --tls-keystore), or accept the risk on a network you trust "
                    + "(kiban run --allow-plaintext, ClientOptions.withAllowPlaintextKey)");
        }
    }

    /** The metadata map the server sent on connect. */
    public Map<String, Object> metadata() {
        return connection().metadata.join();
    }

    /** Sends one observation; the future holds the server's reply map (with {@code actions}). */
    public CompletableFuture<Map<String, Object>> infer(Map<String, Object> observation) {
        byte[] message = MsgpackNumpy.pack(observation);
        Connection c = connection();
        long ms = options.requestTimeout().toMillis();
        return c.send(message).orTimeout(ms, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            if (t instanceof TimeoutException) {
                // A late reply would be taken for the next request's: drop the connection.
                PolicyServerException timeout = new PolicyServerException(uri + ": no reply within " + ms + " ms");
                c.fail(timeout);
                return CompletableFuture.failedFuture(timeout);
            }
            return CompletableFuture.failedFuture(t);
        });
    }

    /**
     * Sends a WebSocket ping, as Python's websockets does every 20 s to keep a connection alive;
     * the future completes when the server's pong arrives, and fails after the request timeout.
     */
    public CompletableFuture<Void> ping() {
        return connection().ping().orTimeout(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The live connection, reconnecting (with retries) if there is none. */
    private Connection connection() {
        synchronized (lock) {
            if (closed) {
                throw new KibanException(uri + ": the client is closed");
            }
            if (connection == null || connection.dead) {
                connection = open();
            }
            return connection;
        }
    }

    private Connection open() {
        long begin = System.nanoTime();
        long deadline = begin + options.connectTimeout().toNanos();
        long nextNotice = begin;
        Throwable last = null;
        do {
            Connection c = new Connection();
            try {
                WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(options.requestTimeout());
                if (options.apiKey() != null) {
                    b.header("Authorization", "Api-Key " + options.apiKey());
                }
                c.ws = b.buildAsync(uri, c).get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                c.metadata.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                return c;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PolicyServerException(uri + ": interrupted while connecting", e);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (cause instanceof WebSocketHandshakeException h) {
                    // The server is up but refused: retrying will not help.
                    int status = h.getResponse().statusCode();
                    throw new PolicyServerException(uri + ": the server refused the WebSocket (HTTP " + status + ")"
                            + (status == 401 || status == 403 ? "; check the API key" : ""), h);
                }
                if (cause instanceof PolicyServerException p) {
                    throw p;
                }
                c.abort();
                last = cause;
            }
            long now = System.nanoTime();
            if (options.notices() != null && now >= nextNotice && now < deadline) {
                // Say so at once and then now and again: a silent wait looks like a hang.
                options.notices().accept((nextNotice == begin ? "waiting for the policy server at " : "still waiting for the policy server at ")
                        + uri + " (" + describe(last) + "); retrying for up to " + seconds(deadline - begin) + " s in all");
                nextNotice = now + NOTICE_EVERY.toNanos();
            }
            try {
                Thread.sleep(options.retryInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PolicyServerException(uri + ": interrupted while connecting", e);
            }
        } while (System.nanoTime() < deadline);
        throw new PolicyServerException(uri + ": no policy server answered within " + seconds(options.connectTimeout().toNanos())
                + " s (last error: " + describe(last) + "); is kiban serve running there?", last);
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? String.valueOf((long) s) : String.format(java.util.Locale.ROOT, "%.1f", s);
    }

    /** A connection failure in words, without the exception's class name. */
    static String describe(Throwable t) {
        if (t == null) {
            return "no attempt finished";
        }
        if (t instanceof java.net.ConnectException && !(t instanceof java.net.http.HttpConnectTimeoutException)) {
            return "connection refused";
        }
        if (t instanceof TimeoutException || t instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        if (t instanceof UnknownHostException || t.getCause() instanceof UnknownHostException) {
            return "unknown host";
        }
        if (t instanceof PolicyServerException || t.getCause() == null) {
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
        return describe(t.getCause());
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (connection != null) {
                connection.close();
            }
        }
        http.shutdownNow();
        executor.shutdownNow();
    }

    /** One WebSocket and the requests waiting for replies on it, oldest first. */
    private static final class Connection implements WebSocket.Listener {

        final CompletableFuture<Map<String, Object>> metadata = new CompletableFuture<>();
        final Deque<CompletableFuture<Map<String, Object>>> pending = new ArrayDeque<>();
        private final Deque<CompletableFuture<Void>> pongs = new ArrayDeque<>();
        volatile WebSocket ws;
        volatile boolean dead;
        private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        private final StringBuilder text = new StringBuilder();

        CompletableFuture<Map<String, Object>> send(byte[] message) {
            CompletableFuture<Map<String, Object>> f = new CompletableFuture<>();
            synchronized (this) {
                if (dead) {
                    f.completeExceptionally(new PolicyServerException("the connection to the policy server is closed"));
                    return f;
                }
                pending.addLast(f);
                // java.net.http allows one outstanding send at a time: chain them.
                sendTail = sendTail.thenCompose(x -> ws.sendBinary(ByteBuffer.wrap(message), true))
                        .whenComplete((x, e) -> {
                            if (e != null) {
                                fail(new PolicyServerException("sending to the policy server failed: " + e.getMessage(), e));
                            }
                        });
            }
            return f;
        }

        CompletableFuture<Void> ping() {
            CompletableFuture<Void> pong = new CompletableFuture<>();
            synchronized (this) {
                if (dead) {
                    pong.completeExceptionally(new PolicyServerException("the connection to the policy server is closed"));
                    return pong;
                }
                pongs.addLast(pong);
                sendTail = sendTail.thenCompose(x -> ws.sendPing(ByteBuffer.allocate(0))).whenComplete((x, e) -> {
                    if (e != null) {
                        fail(new PolicyServerException("sending to the policy server failed: " + e.getMessage(), e));
                    }
                });
            }
            return pong;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            CompletableFuture<Void> pong;
            synchronized (this) {
                pong = pongs.pollFirst();
            }
            if (pong != null) {
                pong.complete(null);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                byte[] message = binary.toByteArray();
                binary.reset();
                deliver(message);
            }
            webSocket.request(1);
            return null;
        }

        private void deliver(byte[] message) {
            Map<String, Object> map;
            try {
                map = MsgpackNumpy.unpackMap(message);
            } catch (RuntimeException e) {
                fail(new PolicyServerException("the policy server sent a malformed reply: " + e.getMessage(), e));
                return;
            }
            if (!metadata.isDone()) {
                metadata.complete(map);
                return;
            }
            CompletableFuture<Map<String, Object>> f;
            synchronized (this) {
                f = pending.pollFirst();
            }
            if (f != null) {
                f.complete(map);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                fail(new PolicyServerException("policy server error: " + message));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            fail(new PolicyServerException("the policy server closed the connection (" + statusCode + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail(new PolicyServerException("the connection to the policy server failed: " + error, error));
        }

        /** Fails the metadata and every pending request, and drops the connection. */
        void fail(PolicyServerException e) {
            CompletableFuture<?>[] waiting;
            synchronized (this) {
                dead = true;
                List<CompletableFuture<?>> all = new ArrayList<>(pending);
                all.addAll(pongs);
                waiting = all.toArray(CompletableFuture<?>[]::new);
                pending.clear();
                pongs.clear();
            }
            metadata.completeExceptionally(e);
            for (CompletableFuture<?> f : waiting) {
                f.completeExceptionally(e);
            }
            abort();
        }

        void abort() {
            dead = true;
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
        }

        void close() {
            WebSocket w = ws;
            if (w != null && !dead) {
                dead = true;
                w.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(1, TimeUnit.SECONDS)
                        .whenComplete((x, e) -> w.abort());
            }
            fail(new PolicyServerException("the client is closed"));
        }
    }
}
