package kiban.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import kiban.client.Wire;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.PolicyObservation;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API beside the WebSocket: {@code POST /v1/infer} (JSON), {@code GET /v1/metadata},
 * {@code GET /metrics} (Prometheus text) and {@code POST /v1/admin/reload} (when the server allows
 * it). {@link AccessGuard} has checked the key, the Host and the Origin; the POST routes take
 * {@code Content-Type: application/json} only, which a web page cannot send across origins without
 * the browser asking first.
 */
final class HttpRoutes extends Handler.Abstract {

    static final String JSON = "application/json";
    private static final Logger LOG = LoggerFactory.getLogger(HttpRoutes.class);

    private final PolicyServer server;

    HttpRoutes(PolicyServer server) {
        this.server = server;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        String route = method + " " + path;
        if (("POST /v1/infer".equals(route) || "POST /v1/admin/reload".equals(route)) && !isJson(request)) {
            server.metrics().error("bad_input");
            write(response, callback, 415, JSON, error("send the body as JSON with 'Content-Type: application/json', got "
                    + (request.getHeaders().get(HttpHeader.CONTENT_TYPE) == null ? "no Content-Type"
                    : "'" + request.getHeaders().get(HttpHeader.CONTENT_TYPE) + "'")));
            return true;
        }
        switch (route) {
            case "GET /v1/metadata" -> write(response, callback, 200, JSON, Json.compact(Json.MAPPER.valueToTree(server.metadataMap())));
            case "GET /metrics" -> write(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", server.metrics().scrape());
            case "POST /v1/infer" -> infer(request, response, callback);
            case "POST /v1/admin/reload" -> reload(request, response, callback);
            default -> write(response, callback, 404, JSON, error("no route " + method + " " + path
                    + "; try GET /healthz, GET /readyz, GET /v1/metadata, POST /v1/infer, GET /metrics, or a WebSocket on /"));
        }
        return true;
    }

    private static boolean isJson(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return type != null && type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals(JSON);
    }

    private void infer(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        body(request).thenCompose(bytes -> {
            Embodiments served = server.choices();
            Embodiments.Target target = served.perRequest() ? JsonInfer.embodiment(bytes, served) : served.choose(Map.of());
            PolicyObservation[] history = JsonInfer.parse(bytes, target.metadata());
            return server.batcher().submit(target.embodiment(), history, true);
        }).whenComplete((r, e) -> {
            if (e == null) {
                ObjectNode out = Json.object();
                var rows = out.putArray(Wire.ACTIONS);
                for (double[] a : r.actions()) {
                    var row = rows.addArray();
                    for (double v : a) {
                        row.add(v);
                    }
                }
                out.putObject(Wire.SERVER_TIMING).put("infer_ms", r.inferMs()).put("batch_size", r.batchSize());
                server.metrics().request(ServeMetrics.HTTP, "ok", System.nanoTime() - start);
                write(response, callback, 200, JSON, Json.compact(out));
                return;
            }
            Throwable t = ErrorText.unwrap(e);
            server.metrics().request(ServeMetrics.HTTP, "error", System.nanoTime() - start);
            switch (t) {
                case TooLarge tooLarge -> {
                    server.metrics().error("too_large");
                    write(response, callback, 413, JSON, error(t.getMessage()));
                }
                case InvalidInputException bad -> {
                    server.metrics().error("bad_input");
                    write(response, callback, 400, JSON, error(bad.getMessage()));
                }
                case Batcher.Busy busy -> {
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(Batcher.Busy.RETRY_AFTER_SECONDS));
                    write(response, callback, 503, JSON, error(busy.getMessage()));
                }
                default -> write(response, callback, 500, JSON, error("inference failed: " + ErrorText.of(t)));
            }
        });
    }

    private void reload(Request request, Response response, Callback callback) {
        if (!server.config().access().allowReload()) {
            write(response, callback, 403, JSON, error("reload is off; start the server with --allow-reload to swap checkpoints "
                    + "while serving"));
            return;
        }
        ModelRoot root = server.modelRoot();
        body(request).thenApply(bytes -> {
            Path checkpoint = null;
            String requested = requestedCheckpoint(bytes);
            if (requested != null) {
                checkpoint = root.resolve(requested);
            }
            return server.reload(checkpoint);
        }).whenComplete((generation, e) -> {
            if (e == null) {
                ObjectNode out = Json.object().put("reloaded", root.display(server.checkpoint())).put("generation", generation);
                write(response, callback, 200, JSON, Json.compact(out));
                return;
            }
            Throwable t = ErrorText.unwrap(e);
            int status = switch (t) {
                case ModelRoot.Refused r -> r.status;
                case PolicyServer.ShapeChange s -> 409;
                case TooLarge tooLarge -> 413;
                case KibanException k -> 400; // the checkpoint exists but does not load: its message says why
                default -> 500;
            };
            if (status == 500) {
                LOG.error("reload failed", t);
            }
            write(response, callback, status, JSON, error("reload failed: " + root.scrub(ErrorText.of(t))));
        });
    }

    /** The {@code checkpoint} of a reload body, or null for an empty body or none named (the served run again). */
    private static String requestedCheckpoint(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("reload request", "", "a JSON object such as {\"checkpoint\": \"run\"}", "a syntax error ("
                    + JsonInfer.reason(e) + ")");
        } catch (java.io.IOException e) {
            throw new InvalidInputException("reload request", "", "a readable body", "a read error");
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return null;
        }
        if (!tree.isObject()) {
            throw new InvalidInputException("reload request", "", "a JSON object such as {\"checkpoint\": \"run\"}", tree.getNodeType()
                    .toString().toLowerCase(Locale.ROOT));
        }
        JsonNode c = tree.get("checkpoint");
        if (c == null || c.isNull()) {
            return null;
        }
        if (!c.isTextual() || c.asText().isBlank()) {
            throw new InvalidInputException("reload request", "checkpoint", "a path below the model root", c.toString());
        }
        return c.asText();
    }

    /** The request body, refusing one larger than the message limit. */
    private CompletableFuture<byte[]> body(Request request) {
        long declared = request.getLength();
        int max = server.config().limits().maxMessageBytes();
        if (declared > max) {
            return CompletableFuture.failedFuture(new TooLarge(declared, max));
        }
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        Content.Source.asByteArrayAsync(request, max, Promise.Invocable.toPromise(body));
        return body.exceptionallyCompose(e -> {
            Throwable t = ErrorText.unwrap(e);
            // Jetty's words for a body that grew past the limit as it arrived (chunked, without a Content-Length).
            if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("Max size")) {
                return CompletableFuture.failedFuture(new TooLarge(-1, max));
            }
            return CompletableFuture.failedFuture(new InvalidInputException("request", "", "a whole body", t instanceof TimeoutException
                    ? "no more of it within the idle timeout (--idle-timeout-s)" : "a connection that ended before the body did"));
        });
    }

    /** The JSON body of every error reply: {"error": message}. */
    static String error(String message) {
        return Json.compact(Json.object().put("error", message));
    }

    static void write(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        Content.Sink.write(response, true, body, callback);
    }

    /** A body over the server's message size limit. */
    static final class TooLarge extends KibanException {
        TooLarge(long size, int max) {
            super("request body " + (size < 0 ? "exceeds" : "of " + size + " bytes exceeds") + " the limit of " + max + " bytes");
        }
    }
}
