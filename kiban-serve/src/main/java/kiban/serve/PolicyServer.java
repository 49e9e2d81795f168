package kiban.serve;

import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import kiban.client.MetadataMaps;
import kiban.client.MsgpackNumpy;
import kiban.client.Wire;
import kiban.core.error.KibanException;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one policy over openpi's WebSocket protocol and Kiban's HTTP API on one port (Jetty), or
 * every embodiment of a run of several ({@link #serving}), each request choosing one by its
 * {@code embodiment} key. Start it with {@link #start}, stop it with {@link #close}.
 * {@link #reload} swaps in a new checkpoint while serving: open connections stay, the next batch
 * runs on the new policy.
 */
public final class PolicyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyServer.class);

    private final ServeConfig config;
    private final Load loader;
    private final ServeMetrics metrics = new ServeMetrics();
    private final ModelRoot modelRoot;
    private final Batcher batcher;
    private final Server jetty;
    private final ServerConnector connector;
    private volatile boolean started;
    private volatile boolean closing;
    private volatile Path checkpoint;
    private volatile Embodiments embodiments;
    private volatile Map<String, Object> metadataMap;
    private volatile byte[] metadataBytes;
    private int generation;
    private volatile Warmup.Result warmup;

    /** Loads a checkpoint's policies; a reload calls it again. */
    private interface Load {
        ServedPolicies apply(Path dir);
    }

    /** Loads the checkpoint with {@code loader} (such as {@code Policies::load}) and builds the server. */
    public PolicyServer(ServeConfig config, Function<Path, Policy> loader) {
        this(config, (Load) dir -> ServedPolicies.one(loader.apply(dir)));
    }

    /**
     * A server of what {@code loader} loads from a checkpoint: one policy, or every embodiment of a
     * run of several (such as {@link ServedPolicies#everyEmbodiment}), chosen by each request.
     */
    public static PolicyServer serving(ServeConfig config, Function<Path, ServedPolicies> loader) {
        return new PolicyServer(config, (Load) loader::apply);
    }

    private PolicyServer(ServeConfig config, Load loader) {
        this.config = config;
        this.loader = loader;
        this.modelRoot = new ModelRoot(config.modelRoot());
        ServedPolicies policy = loader.apply(config.checkpoint());
        this.checkpoint = config.checkpoint();
        publish(policy);
        ServeLimits limits = config.limits();
        this.warmup = warm(policy);
        this.batcher = new Batcher(policy, config.maxBatch(), config.maxWaitMs(), limits.maxQueue(), metrics);

        QueuedThreadPool threads = new QueuedThreadPool(256, 4);
        threads.setName("kiban-serve");
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (config.tlsKeystore() != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStorePath(config.tlsKeystore().toString());
            tls.setKeyStorePassword(config.tlsKeystorePassword());
            connector = new ServerConnector(jetty, tls, new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        jetty.addConnector(connector);
        // Connections beyond the limit wait in the kernel's accept queue until one closes.
        jetty.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        errors.setShowMessageInTitle(false);
        jetty.setErrorHandler(errors);

        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, container -> {
            container.setMaxBinaryMessageSize(limits.maxMessageBytes());
            container.setMaxTextMessageSize(64 * 1024);
            container.setIdleTimeout(limits.idleTimeout());
            // Replies a client has not read yet; beyond them the connection is dropped, so one that never reads costs little.
            container.setMaxOutgoingFrames(limits.maxInFlight() + 8);
            container.addMapping("/*", (rq, rs, cb) -> new PolicySocket(this));
        });
        ws.setHandler(new HttpRoutes(this));
        jetty.setHandler(new HealthChecks(this, new AccessGuard(this, ws)));
    }

    /**
     * Runs {@link ServeConfig#warmupCalls} requests through {@code policy}; a policy that fails on
     * the warm-up's request of zeros is served all the same (its clients will see why), unwarmed.
     */
    private Warmup.Result warm(ServedPolicies policy) {
        if (config.warmupCalls() == 0) {
            return new Warmup.Result(0, 0);
        }
        try {
            Warmup.Result r = Warmup.run(policy, config.warmupCalls(), config.limits().maxMessageObjects());
            LOG.info("warmed up with {} requests in {} ms", r.calls(), Math.round(r.millis()));
            return r;
        } catch (RuntimeException e) {
            LOG.warn("the warm-up failed, so the first requests will be slower: {}", ErrorText.of(e));
            return new Warmup.Result(0, 0);
        }
    }

    /** The warm-up run before clients were let in. */
    public Warmup.Result warmup() {
        return warmup;
    }

    /** Starts listening; the server is ready when this returns. */
    public PolicyServer start() {
        try {
            jetty.start();
        } catch (Exception e) {
            close();
            throw new KibanException("cannot serve on " + config.host() + ":" + config.port() + ": " + bindFailure(e), e);
        }
        warmOverSocket();
        started = true;
        return this;
    }

    /**
     * Sends the warm-up's requests through the server's own WebSocket where a client on this
     * machine reaches it as clients do (loopback, no TLS), then forgets their metrics; /readyz
     * says not ready meanwhile.
     */
    private void warmOverSocket() {
        boolean reachable = config.tlsKeystore() == null && ServeConfig.isLoopback(config.host());
        if (config.warmupCalls() == 0 || warmup.calls() == 0 || !reachable) {
            return;
        }
        try {
            Warmup.Result r = Warmup.overSocket(URI.create(url()), config.apiKey(), embodiments, config.warmupCalls());
            LOG.info("warmed up the WebSocket path with {} requests in {} ms", r.calls(), Math.round(r.millis()));
            warmup = new Warmup.Result(warmup.calls() + r.calls(), warmup.millis() + r.millis());
        } catch (RuntimeException e) {
            LOG.warn("the WebSocket warm-up failed, so the first requests will be slower: {}", ErrorText.of(e));
        }
        // A reply is counted once written, which its client may see first: forget the counts only once the server
        // has seen the warm-up's connection close, after its last reply.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            while (metrics.connections().get() > 0 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Warmup.awaitQuietCompiler();
        metrics.reset();
    }

    private String bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                String m = String.valueOf(b.getMessage());
                if (m.contains("in use")) {
                    return "the port " + config.port() + " is already in use (another kiban serve?); pick another --port, or 0 for a "
                            + "free one";
                }
                return "cannot bind (" + m + ")" + (m.contains("assign") ? "; is " + config.host() + " an address of this machine?" : "");
            }
        }
        return e.getMessage();
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
     * that are connected stay valid ({@link ShapeChange} otherwise), and a server of several
     * embodiments must get the same embodiments; returns the new generation.
     */
    public synchronized int reload(Path next) {
        Path dir = next == null ? checkpoint : next;
        ServedPolicies fresh = loader.apply(dir);
        Embodiments old = embodiments;
        String name = modelRoot.display(dir);
        try {
            Embodiments now = Embodiments.of(fresh);
            if (now.perRequest() != old.perRequest() || !now.byName().keySet().equals(old.byName().keySet())) {
                throw new ShapeChange(name + ": it serves the embodiments " + fresh.names() + ", but this server serves "
                        + (old.perRequest() ? old.byName().keySet() : "one policy") + "; connected clients would choose "
                        + "embodiments that are not there, so start a new server for it");
            }
            for (String e : old.byName().keySet()) {
                compatible(e.isEmpty() ? name : name + " (embodiment " + e + ")", now.byName().get(e), old.byName().get(e));
            }
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        warm(fresh);
        checkpoint = dir;
        generation++;
        publish(fresh);
        batcher.swap(fresh).close();
        metrics.reload();
        return generation;
    }

    /** Refuses a policy {@code m} that connected clients of {@code old} could not use. */
    private static void compatible(String name, PolicyMetadata m, PolicyMetadata old) {
        if (m.observationSteps() != old.observationSteps() || m.observationDim() != old.observationDim()
                || m.horizon() != old.horizon() || m.actionDim() != old.actionDim()) {
            throw new ShapeChange(name + ": its policy reads " + Wire.stateShape(m) + " and writes [" + m.horizon() + ", "
                    + m.actionDim() + "], but the one serving reads " + Wire.stateShape(old) + " and writes [" + old.horizon()
                    + ", " + old.actionDim() + "]; connected clients would break, so start a new server for it");
        }
        if (!m.images().equals(old.images())) {
            throw new ShapeChange(name + ": its policy reads the cameras " + m.images() + ", but the one serving reads "
                    + old.images() + "; connected clients would send the wrong frames, so start a new server for it");
        }
        if (!m.deltaActions().equals(old.deltaActions())) {
            throw new ShapeChange(name + ": its delta actions " + m.deltaActions() + " differ from the serving policy's "
                    + old.deltaActions() + "; connected clients would add the wrong observations, so start a new server for it");
        }
    }

    private void publish(ServedPolicies served) {
        Map<String, Object> map;
        if (!served.perRequest()) {
            Policy p = served.first();
            map = MetadataMaps.toMap(p.metadata(), describe(p.metadata(), p.instructions(), identity()));
        } else {
            // Each embodiment as a single-policy server would describe it; the top level says which key chooses one.
            Map<String, String> envOf = new LinkedHashMap<>();
            served.envs().forEach((env, e) -> envOf.put(e, env));
            Map<String, Object> each = new LinkedHashMap<>();
            served.byEmbodiment().forEach((e, p) -> {
                Map<String, Object> extra = new LinkedHashMap<>();
                if (envOf.containsKey(e)) {
                    extra.put("env", envOf.get(e));
                }
                each.put(e, MetadataMaps.toMap(p.metadata(), describe(p.metadata(), p.instructions(), extra)));
            });
            map = new LinkedHashMap<>();
            map.put("kiban_protocol", Wire.PROTOCOL_VERSION);
            map.put("policy_type", served.first().metadata().type());
            map.put("inputs", Map.of(Embodiments.KEY, Map.of("dtype", "str", "one_of", served.names())));
            map.put("embodiments", each);
            map.putAll(identity());
        }
        embodiments = Embodiments.of(served);
        metadataMap = map;
        metadataBytes = MsgpackNumpy.pack(map);
    }

    private Map<String, Object> identity() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("server", "kiban");
        extra.put("checkpoint", String.valueOf(checkpoint.getFileName()));
        extra.put("generation", generation);
        return extra;
    }

    /** {@code extra} with what a client needs beyond the shapes: the instructions, and the server's history. */
    private static Map<String, Object> describe(PolicyMetadata m, List<String> instructions, Map<String, Object> extra) {
        // Whether the prompt matters, and the instructions the policy was trained on (empty: it ignores the prompt).
        extra.put("instructions", List.copyOf(instructions));
        if (m.observationSteps() > 1) {
            // What a client that sends the newest observation alone (openpi's loop) sends; the server keeps the rest.
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(Wire.STATE, Map.of("dtype", "float32", "shape", List.of(m.observationDim())));
            for (ImageSpec i : m.images()) {
                one.put(i.name(), Map.of("dtype", "uint8", "shape", List.of(i.height(), i.width(), i.channels())));
            }
            extra.put("server_history", Map.of("inputs", one, "reset", List.copyOf(new java.util.TreeSet<>(
                    PolicySocket.EPISODE_BOUNDARIES))));
        }
        return extra;
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

    ModelRoot modelRoot() {
        return modelRoot;
    }

    /** The served policy's metadata; on a server of several embodiments, the first one's. */
    public PolicyMetadata metadata() {
        return embodiments.first();
    }

    /** The embodiments requests choose among, each with its metadata; empty for a single-policy server. */
    public Map<String, PolicyMetadata> embodiments() {
        return embodiments.perRequest() ? embodiments.byName() : Map.of();
    }

    Embodiments choices() {
        return embodiments;
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

    /** Why the server is unhealthy (its worker stopped, or the policy failed repeatedly); null when healthy. */
    String unhealthy() {
        Batcher.Health h = batcher.health();
        if (!h.workerAlive()) {
            return "the inference worker has stopped";
        }
        if (!h.healthy()) {
            return "the policy failed its last " + h.consecutiveFailures() + " requests (" + h.lastFailure() + ")";
        }
        return null;
    }

    /** Why the server should get no traffic now (unhealthy, starting, stopping, or its queue full); null when ready. */
    String unready() {
        String sick = unhealthy();
        if (sick != null) {
            return sick;
        }
        if (!started || closing) {
            return closing ? "the server is stopping" : "the server is starting";
        }
        return batcher.accepting() ? null : "the request queue is full (--max-queue " + config.limits().maxQueue() + ")";
    }

    /** Blocks until the server stops or the thread is interrupted. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops serving and releases the policy; a second call (Ctrl-C while closing) does nothing. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            jetty.stop();
        } catch (Exception e) {
            // Stopping is best effort; the batcher and the policy are released below regardless.
            LOG.debug("stopping Jetty", e);
        }
        batcher.close();
        batcher.policy().close();
    }

    /** A reload that would change what connected clients send or receive. */
    static final class ShapeChange extends KibanException {
        ShapeChange(String message) {
            super(message);
        }
    }
}
