package kiban.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

/**
 * The HTTP API beside the WebSocket: {@code POST /v1/infer} (JSON), {@code GET /v1/metadata},
 * {@code GET /metrics} (Prometheus text) and {@code POST /v1/admin/reload}. Everything needs the
 * API key when the server has one.
 */
final class HttpRoutes extends Handler.Abstract {

    private static final String JSON = "application/json";

    private final PolicyServer server;

    HttpRoutes(PolicyServer server) {
        this.server = server;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        if (!server.authorized(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            server.metrics().error("auth");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Api-Key");
            write(response, callback, 401, JSON, error("missing or wrong API key (send 'Authorization: Api-Key <key>')"));
            return true;
        }
        switch (method + " " + path) {
            case "GET /v1/metadata" -> write(response, callback, 200, JSON, Json.compact(Json.MAPPER.valueToTree(server.metadataMap())));
            case "GET /metrics" -> write(response, callback, 200, "text/plain; version=0.0.4; charset=utf-8", server.metrics().scrape());
            case "POST /v1/infer" -> infer(request, response, callback);
            case "POST /v1/admin/reload" -> reload(request, response, callback);
            default -> write(response, callback, 404, JSON, error("no route " + method + " " + path
                    + "; try GET /healthz, GET /v1/metadata, POST /v1/infer, GET /metrics, or a WebSocket on /"));
        }
        return true;
    }

    private void infer(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        body(request).thenCompose(bytes -> {
            PolicyObservation[] history = parse(bytes);
            return server.batcher().submit(history);
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
            Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            server.metrics().request(ServeMetrics.HTTP, "error", System.nanoTime() - start);
            if (t instanceof TooLarge) {
                server.metrics().error("too_large");
                write(response, callback, 413, JSON, error(t.getMessage()));
            } else if (t instanceof InvalidInputException) {
                server.metrics().error("bad_input");
                write(response, callback, 400, JSON, error(t.getMessage()));
            } else {
                server.metrics().error("internal");
                write(response, callback, 500, JSON, error("inference failed: " + PolicySocket.ErrorText.of(t)));
            }
        });
    }

    private PolicyObservation[] parse(byte[] bytes) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new InvalidInputException("request", "", "a JSON object", "malformed JSON ("
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidInputException("request", "", "a JSON object", tree == null ? "nothing" : tree.getNodeType().toString());
        }
        JsonNode state = tree.get(Wire.STATE);
        String expected = Observations.expected(server.metadata());
        if (state == null) {
            throw new InvalidInputException("request", Wire.STATE, expected, "no such key");
        }
        List<Integer> shape = new ArrayList<>();
        JsonNode n = state;
        while (n.isArray()) {
            shape.add(n.size());
            if (n.isEmpty() || shape.size() > 2) {
                break;
            }
            n = n.get(0);
        }
        int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
        int size = dims.length == 0 ? 0 : dims.length == 1 ? dims[0] : dims[0] * dims[1];
        double[] flat = new double[size];
        int i = 0;
        for (JsonNode row : dims.length == 2 ? state : List.of(state)) {
            if (!row.isArray() || row.size() != dims[dims.length - 1]) {
                throw new InvalidInputException("request", Wire.STATE, expected, "ragged or non-array rows");
            }
            for (JsonNode v : row) {
                if (!v.isNumber()) {
                    throw new InvalidInputException("request", Wire.STATE, expected, "a " + v.getNodeType() + " element");
                }
                flat[i++] = v.doubleValue();
            }
        }
        if (dims.length == 0 || dims.length > 2) {
            throw new InvalidInputException("request", Wire.STATE, expected, "a JSON value nested " + dims.length + " deep");
        }
        return Observations.fromJson(flat, dims, server.metadata());
    }

    private void reload(Request request, Response response, Callback callback) {
        body(request).thenApply(bytes -> {
            Path checkpoint = null;
            if (bytes.length > 0) {
                JsonNode tree = Json.parseTree(new String(bytes, StandardCharsets.UTF_8), "reload request");
                if (tree.hasNonNull("checkpoint")) {
                    checkpoint = Path.of(tree.get("checkpoint").asText());
                }
            }
            return server.reload(checkpoint);
        }).whenComplete((generation, e) -> {
            if (e == null) {
                ObjectNode out = Json.object().put("reloaded", server.checkpoint().toString()).put("generation", generation);
                write(response, callback, 200, JSON, Json.compact(out));
                return;
            }
            Throwable t = e.getCause() != null ? e.getCause() : e;
            int status = t instanceof KibanException ? 409 : 500;
            write(response, callback, status, JSON, error("reload failed: " + PolicySocket.ErrorText.of(t)));
        });
    }

    /** The request body, refusing one larger than the message limit. */
    private CompletableFuture<byte[]> body(Request request) {
        long declared = request.getLength();
        int max = server.config().maxMessageBytes();
        if (declared > max) {
            return CompletableFuture.failedFuture(new TooLarge(declared, max));
        }
        CompletableFuture<byte[]> body = new CompletableFuture<>();
        Content.Source.asByteArrayAsync(request, max, org.eclipse.jetty.util.Promise.Invocable.toPromise(body));
        return body.exceptionallyCompose(e -> CompletableFuture.failedFuture(new TooLarge(-1, max)));
    }

    private static String error(String message) {
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
