package kiban.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kiban.client.MetadataMaps;
import kiban.client.MsgpackNumpy;
import kiban.client.Wire;
import kiban.core.error.KibanException;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Serves one policy over openpi's WebSocket protocol and Kiban's HTTP API on one port (Jetty).
 * Start it with {@link #start}, stop it with {@link #close}. {@link #reload} swaps in a new
 * checkpoint while serving: open connections stay, the next batch runs on the new policy.
 */
public final class PolicyServer implements AutoCloseable {

    private final ServeConfig config;
    private final Function<Path, Policy> loader;
    private final ServeMetrics metrics = new ServeMetrics();
    private final ApiKey apiKey;
    private final Batcher batcher;
    private final Server jetty;
    private final ServerConnector connector;
    private volatile Path checkpoint;
    private volatile PolicyMetadata metadata;
    private volatile Map<String, Object> metadataMap;
    private volatile byte[] metadataBytes;
    private int generation;

    /** Loads the checkpoint with {@code loader} (such as {@code Policies::load}) and builds the server. */
    public PolicyServer(ServeConfig config, Function<Path, Policy> loader) {
        this.config = config;
        this.loader = loader;
        this.apiKey = config.apiKey() == null ? null : new ApiKey(config.apiKey());
        Policy policy = loader.apply(config.checkpoint());
        this.checkpoint = config.checkpoint();
        publish(policy.metadata());
        this.batcher = new Batcher(policy, config.maxBatch(), config.maxWaitMs(), metrics);

        QueuedThreadPool threads = new QueuedThreadPool(256, 4);
        threads.setName("kiban-serve");
        jetty = new Server(threads);
        if (config.tlsKeystore() != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(config.tlsKeystore().toString());
            tls.setKeyStorePassword(config.tlsKeystorePassword());
            connector = new ServerConnector(jetty, tls);
        } else {
            connector = new ServerConnector(jetty);
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);

        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxBinaryMessageSize(config.maxMessageBytes());
            container.setMaxTextMessageSize(64 * 1024);
            container.setIdleTimeout(Duration.ofHours(1));
            container.addMapping("/*", (rq, rs, cb) -> {
                if (!authorized(rq.getHeaders().get("Authorization"))) {
                    metrics.error("auth");
                    Response.writeError(rq, rs, cb, 401, "missing or wrong API key (send 'Authorization: Api-Key <key>')");
                    return null;
                }
                return new PolicySocket(this);
            });
        });
        ws.setHandler(new HttpRoutes(this));
        jetty.setHandler(new Healthz(ws));
    }

    /** Starts listening; the server is ready when this returns. */
    public PolicyServer start() {
        try {
            jetty.start();
        } catch (Exception e) {
            close();
            throw new KibanException("cannot serve on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** The port listened on (the chosen one when configured as 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The WebSocket URL clients connect to. */
    public String url() {
        return (config.tlsKeystore() != null ? "wss" : "ws") + "://" + hostForUrl() + ":" + port() + "/";
    }

    private String hostForUrl() {
        return config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    }

    /**
     * Loads {@code next} (or the current checkpoint again when null, picking up its newest
     * checkpoint) and swaps it in. The new policy must read and write the same shapes, so clients
     * that are connected stay valid; returns the new generation.
     */
    public synchronized int reload(Path next) {
        Path dir = next == null ? checkpoint : next;
        Policy fresh = loader.apply(dir);
        PolicyMetadata m = fresh.metadata();
        PolicyMetadata old = metadata;
        if (m.observationSteps() != old.observationSteps() || m.observationDim() != old.observationDim()
                || m.horizon() != old.horizon() || m.actionDim() != old.actionDim()) {
            fresh.close();
            throw new KibanException(dir + ": its policy reads " + Wire.stateShape(m) + " and writes [" + m.horizon() + ", "
                    + m.actionDim() + "], but the one serving reads " + Wire.stateShape(old) + " and writes [" + old.horizon()
                    + ", " + old.actionDim() + "]; connected clients would break, so start a new server for it");
        }
        if (!m.images().equals(old.images())) {
            fresh.close();
            throw new KibanException(dir + ": its policy reads the cameras " + m.images() + ", but the one serving reads "
                    + old.images() + "; connected clients would send the wrong frames, so start a new server for it");
        }
        if (!m.deltaActions().equals(old.deltaActions())) {
            fresh.close();
            throw new KibanException(dir + ": its delta actions " + m.deltaActions() + " differ from the serving policy's "
                    + old.deltaActions() + "; connected clients would add the wrong observations, so start a new server for it");
        }
        checkpoint = dir;
        generation++;
        publish(m);
        batcher.swap(fresh).close();
        metrics.reload();
        return generation;
    }

    private void publish(PolicyMetadata m) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("server", "kiban");
        extra.put("checkpoint", String.valueOf(checkpoint.getFileName()));
        extra.put("generation", generation);
        Map<String, Object> map = MetadataMaps.toMap(m, extra);
        metadata = m;
        metadataMap = map;
        metadataBytes = MsgpackNumpy.pack(map);
    }

    boolean authorized(String authorization) {
        return apiKey == null || apiKey.accepts(authorization);
    }

    ServeConfig config() {
        return config;
    }

    ServeMetrics metrics() {
        return metrics;
    }

    Batcher batcher() {
        return batcher;
    }

    public PolicyMetadata metadata() {
        return metadata;
    }

    Map<String, Object> metadataMap() {
        return metadataMap;
    }

    byte[] metadataBytes() {
        return metadataBytes;
    }

    Path checkpoint() {
        return checkpoint;
    }

    /** Blocks until the server stops or the thread is interrupted. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            // Stopping is best effort; the batcher and the policy are released below regardless.
        }
        batcher.close();
        batcher.policy().close();
    }

    /** openpi's health check: {@code GET /healthz} answers {@code OK}, even with upgrade headers, without a key. */
    private static final class Healthz extends Handler.Wrapper {
        Healthz(Handler next) {
            super(next);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if ("/healthz".equals(Request.getPathInContext(request))) {
                HttpRoutes.write(response, callback, 200, "text/plain; charset=utf-8", "OK\n");
                return true;
            }
            return super.handle(request, response, callback);
        }
    }
}
