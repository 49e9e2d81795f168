package kiban.serve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import kiban.client.MsgpackNumpy;
import kiban.client.NdArray;
import kiban.client.Wire;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.ObservationHistory;
import kiban.core.policy.PolicyObservation;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket, speaking openpi's protocol: the metadata frame on open, then one reply
 * frame per request frame, in order (the batcher is first in, first out). An error is sent as a
 * text frame and the connection closed with 1011, as openpi's server does (1013 when the server is
 * busy); other clients go on. A request with the newest observation alone, to a policy that reads
 * several, is completed from this connection's {@link ObservationHistory}; the control messages
 * {@code episode_start} and {@code episode_end} clear it. On a server of several embodiments each
 * request names its embodiment; the connection keeps one history per embodiment, and a request
 * that names none served is answered with an error text while the connection goes on.
 */
public final class PolicySocket implements Session.Listener.AutoDemanding {

    /** The control messages that mark an episode boundary, and so clear the connection's history. */
    static final Set<String> EPISODE_BOUNDARIES = Set.of("episode_start", "episode_end", "reset");

    private static final Logger LOG = LoggerFactory.getLogger(PolicySocket.class);

    private final PolicyServer server;
    /** This connection's history per embodiment ("" on a single-policy server); only the handler thread touches it. */
    private final Map<String, ObservationHistory> histories = new java.util.HashMap<>();
    private volatile Session session;
    private volatile boolean failed;
    private boolean sentError;
    /** Frames received after the connection failed; only the handler thread touches it. */
    private int framesAfterFailure;
    /** Requests waiting for the batcher; cancelled when the connection fails or closes, so the batcher skips them. */
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    /**
     * Completes once the reply to the newest request has been handed to Jetty; a control
     * acknowledgement waits for it so that replies keep request order for pipelining clients.
     */
    private volatile CompletableFuture<?> lastReply = CompletableFuture.completedFuture(null);
    /** The previous request's round trip, receipt to reply sent; openpi's {@code prev_total_ms}. */
    private volatile double prevTotalMs = Double.NaN;

    PolicySocket(PolicyServer server) {
        this.server = server;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        server.metrics().connections().incrementAndGet();
        s.sendBinary(ByteBuffer.wrap(server.metadataBytes()), Callback.from(() -> {}, this::sendFailed));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        // Jetty asks for the next frame once the callback completes: handling one frame at a time keeps the history in order.
        long start = System.nanoTime();
        try {
            handle(payload, start);
        } catch (Throwable t) {
            // Jetty would send the exception's own text as the close reason; the server's log gets it instead.
            LOG.error("handling a WebSocket request failed", t);
            server.metrics().error("internal");
            fail("the server failed to handle the request (its log has the details)", start, StatusCode.SERVER_ERROR);
        } finally {
            callback.succeed();
        }
    }

    private void handle(ByteBuffer payload, long start) {
        if (failed) {
            // Frames a pipelining client sent before our error reached it are dropped; a client that goes on sending
            // after that many does not read (it would hold the connection open for ever): drop it.
            if (++framesAfterFailure > server.config().limits().maxInFlight()) {
                session.disconnect();
            }
            return;
        }
        PolicyObservation[] observations;
        String embodiment;
        try {
            Embodiments served = server.choices();
            switch (Observations.decode(payload, served, server.config().limits().maxMessageObjects())) {
                case Observations.Control c -> {
                    if (EPISODE_BOUNDARIES.contains(c.value())) {
                        histories.values().forEach(ObservationHistory::clear);
                    }
                    byte[] ack = MsgpackNumpy.pack(Map.of(Wire.ACK, c.value()));
                    lastReply = lastReply.whenComplete((x, e) -> send(ack, start, true));
                    return;
                }
                case Observations.Infer i -> {
                    observations = i.history();
                    embodiment = i.embodiment();
                }
                case Observations.Step s -> {
                    embodiment = s.embodiment();
                    // a decoded request is this connection's alone: kept without a copy
                    observations = histories.computeIfAbsent(embodiment, e -> new ObservationHistory(
                            served.byName().get(e).observationSteps())).pushOwned(s.observation());
                }
            }
        } catch (Embodiments.UnknownEmbodiment e) {
            // The client chose an embodiment this server does not serve: the error in its place, the connection goes on.
            server.metrics().error("bad_input");
            server.metrics().request(ServeMetrics.WS, "error", System.nanoTime() - start);
            String text = e.getMessage();
            lastReply = lastReply.whenComplete((x, err) -> sendError(text));
            return;
        } catch (InvalidInputException e) {
            server.metrics().error("bad_input");
            fail(e.getMessage(), start, StatusCode.SERVER_ERROR);
            return;
        }
        int maxInFlight = server.config().limits().maxInFlight();
        if (pending.size() >= maxInFlight) {
            server.metrics().error("bad_input");
            fail("more than " + maxInFlight + " requests in flight on one connection; wait for replies", start, StatusCode.SERVER_ERROR);
            return;
        }
        // With nothing of this connection's queued, the request may run on this thread at once: its reply cannot overtake.
        var future = server.batcher().submit(embodiment, observations, pending.isEmpty());
        pending.add(future);
        lastReply = future.whenComplete((r, e) -> {
            try {
                reply(r, e, start);
            } finally {
                // Only once the reply is queued: a later request that finds nothing pending may run and reply at once.
                pending.remove(future);
            }
        });
    }

    private void reply(Batcher.Result r, Throwable e, long start) {
        if (failed) {
            return;
        }
        if (e != null) {
            Throwable t = ErrorText.unwrap(e);
            if (t instanceof Batcher.Busy) {
                fail(t.getMessage(), start, StatusCode.TRY_AGAIN_LATER);
            } else {
                fail("inference failed: " + ErrorText.of(t), start, StatusCode.SERVER_ERROR);
            }
            return;
        }
        send(reply(r.actions(), r.inferMs(), prevTotalMs, r.batchSize()), start, false);
    }

    /** A reply as openpi's server sends one: the actions, and the timings ({@code prevTotalMs} NaN for the first). */
    static byte[] reply(double[][] actions, double inferMs, double prevTotalMs, int batchSize) {
        Map<String, Object> timing = new LinkedHashMap<>();
        timing.put("infer_ms", inferMs);
        if (!Double.isNaN(prevTotalMs)) {
            timing.put("prev_total_ms", prevTotalMs);
        }
        timing.put("batch_size", batchSize);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put(Wire.ACTIONS, NdArray.float64(actions));
        reply.put(Wire.SERVER_TIMING, timing);
        return MsgpackNumpy.pack(reply);
    }

    private void send(byte[] reply, long start, boolean control) {
        Session s = session;
        s.sendBinary(ByteBuffer.wrap(reply), Callback.from(() -> {
            long nanos = System.nanoTime() - start;
            if (!control) {
                prevTotalMs = nanos / 1e6;
                server.metrics().request(ServeMetrics.WS, "ok", nanos);
            }
        }, this::sendFailed));
    }

    /** An error text in a reply's place, the connection left open (the embodiment a request chose is not served). */
    private void sendError(String text) {
        if (failed) {
            return;
        }
        session.sendText(text, Callback.from(() -> {}, this::sendFailed));
    }

    /**
     * A reply could not be queued or written: the client does not read its replies (more than the
     * outgoing-frame limit wait for it) or has gone. Dropping it bounds what the server holds for it.
     */
    private void sendFailed(Throwable x) {
        server.metrics().error("send");
        failed = true;
        cancelPending();
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    @Override
    public void onWebSocketText(String message) {
        server.metrics().error("bad_input");
        fail("requests must be binary msgpack frames, got a text frame", System.nanoTime(), StatusCode.SERVER_ERROR);
    }

    /** openpi's error path: the text, then a close with a short reason. */
    private synchronized void fail(String text, long start, int closeCode) {
        if (sentError) {
            return; // one error text per connection, as openpi sends
        }
        sentError = true;
        failed = true;
        cancelPending();
        server.metrics().request(ServeMetrics.WS, "error", System.nanoTime() - start);
        Session s = session;
        s.sendText(text, Callback.from(() -> s.close(closeCode, reason(text), Callback.NOOP), x -> s.disconnect()));
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
        if (cause instanceof MessageTooLargeException) {
            server.metrics().error("too_large");
        }
    }
}
