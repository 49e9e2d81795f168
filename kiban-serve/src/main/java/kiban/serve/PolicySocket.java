package kiban.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import kiban.client.MsgpackNumpy;
import kiban.client.NdArray;
import kiban.client.Wire;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.policy.PolicyObservation;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One client's WebSocket, speaking openpi's protocol: the metadata frame on open, then one reply
 * frame per request frame, in order (the batcher is first in, first out). An error is sent as a
 * text frame and the connection closed with 1011, as openpi's server does; other clients go on.
 */
public final class PolicySocket implements Session.Listener.AutoDemanding {

    /** Requests one connection may have waiting for replies; bounds the queue a pipelining client can grow. */
    static final int MAX_IN_FLIGHT = 256;

    private final PolicyServer server;
    private volatile Session session;
    private volatile boolean failed;
    private boolean sentError;
    /** Requests waiting for the batcher; cancelled when the connection fails or closes, so the batcher skips them. */
    private final java.util.Set<java.util.concurrent.CompletableFuture<?>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Completes once the reply to the newest request has been handed to Jetty; a control
     * acknowledgement waits for it so that replies keep request order for pipelining clients.
     */
    private volatile java.util.concurrent.CompletableFuture<?> lastReply = java.util.concurrent.CompletableFuture.completedFuture(null);
    /** The previous request's round trip, receipt to reply sent; openpi's {@code prev_total_ms}. */
    private volatile double prevTotalMs = Double.NaN;

    PolicySocket(PolicyServer server) {
        this.server = server;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        server.metrics().connections().incrementAndGet();
        s.sendBinary(ByteBuffer.wrap(server.metadataBytes()), Callback.NOOP);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        long start = System.nanoTime();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        if (failed) {
            return;
        }
        PolicyObservation[] history;
        try {
            switch (Observations.decode(bytes, server.metadata())) {
                case Observations.Control c -> {
                    byte[] ack = MsgpackNumpy.pack(Map.of(Wire.ACK, c.value()));
                    lastReply = lastReply.whenComplete((x, e) -> send(ack, start, true));
                    return;
                }
                case Observations.Infer i -> history = i.history();
            }
        } catch (InvalidInputException e) {
            server.metrics().error("bad_input");
            fail(e.getMessage(), start);
            return;
        }
        if (pending.size() >= MAX_IN_FLIGHT) {
            server.metrics().error("bad_input");
            fail("more than " + MAX_IN_FLIGHT + " requests in flight on one connection; wait for replies", start);
            return;
        }
        var future = server.batcher().submit(history);
        pending.add(future);
        lastReply = future.whenComplete((r, e) -> {
            pending.remove(future);
            if (failed) {
                return;
            }
            if (e != null) {
                server.metrics().error("internal");
                fail("inference failed: " + ErrorText.of(e), start);
                return;
            }
            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("infer_ms", r.inferMs());
            if (!Double.isNaN(prevTotalMs)) {
                timing.put("prev_total_ms", prevTotalMs);
            }
            timing.put("batch_size", r.batchSize());
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put(Wire.ACTIONS, NdArray.float64(r.actions()));
            reply.put(Wire.SERVER_TIMING, timing);
            send(MsgpackNumpy.pack(reply), start, false);
        });
    }

    private void send(byte[] reply, long start, boolean control) {
        Session s = session;
        s.sendBinary(ByteBuffer.wrap(reply), Callback.from(() -> {
            long nanos = System.nanoTime() - start;
            if (!control) {
                prevTotalMs = nanos / 1e6;
                server.metrics().request(ServeMetrics.WS, "ok", nanos);
            }
        }, x -> server.metrics().error("send")));
    }

    @Override
    public void onWebSocketText(String message) {
        server.metrics().error("bad_input");
        fail("requests must be binary msgpack frames, got a text frame", System.nanoTime());
    }

    /** openpi's error path: the text, then close 1011 with a short reason. */
    private synchronized void fail(String text, long start) {
        if (sentError) {
            return; // one error text per connection, as openpi sends
        }
        sentError = true;
        failed = true;
        cancelPending();
        server.metrics().request(ServeMetrics.WS, "error", System.nanoTime() - start);
        Session s = session;
        s.sendText(text, Callback.from(() -> s.close(StatusCode.SERVER_ERROR, reason(text), Callback.NOOP), x -> s.disconnect()));
    }

    private void cancelPending() {
        for (var f : pending) {
            f.cancel(false);
        }
    }

    /** A close reason must fit in 123 bytes of UTF-8. */
    static String reason(String text) {
        String r = text.lines().findFirst().orElse("error");
        while (r.getBytes(StandardCharsets.UTF_8).length > 120) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        failed = true;
        cancelPending();
        server.metrics().connections().decrementAndGet();
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        if (cause instanceof org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException) {
            server.metrics().error("too_large");
        }
    }

    /** Error texts for clients. */
    static final class ErrorText {
        private ErrorText() {}

        static String of(Throwable e) {
            Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            return t instanceof KibanException ? t.getMessage() : t.toString();
        }
    }
}
