package kiban.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's Prometheus metrics: requests by transport and outcome, round-trip and inference
 * latency histograms, batch sizes, errors by kind, open connections and reloads.
 */
final class ServeMetrics {

    /** The transports a request can come by, as the {@code transport} label says. */
    static final String WS = "websocket";
    static final String HTTP = "http";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Timer inference;
    private volatile DistributionSummary batchSize;
    private volatile Counter reloads;
    private final Map<String, Map<String, Counter>> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    ServeMetrics() {
        register();
    }

    /** Forgets every count (the warm-up's); meters are looked up again on next use. */
    synchronized void reset() {
        registry.clear();
        requests.clear();
        latency.clear();
        register();
    }

    private void register() {
        Gauge.builder("kiban.serve.connections", connections, AtomicInteger::get).description("Open WebSocket connections")
                .register(registry);
        inference = Timer.builder("kiban.serve.inference").description("Forward-pass time of one batch")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        batchSize = DistributionSummary.builder("kiban.serve.batch.size").description("Requests per forward pass")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        reloads = Counter.builder("kiban.serve.reloads").description("Checkpoints swapped in while serving").register(registry);
    }

    /** One request answered (or failed) after {@code nanos} from receipt to reply. */
    void request(String transport, String outcome, long nanos) {
        // Looked up in maps of our own: registering anew (what a builder does) allocates tags on every request.
        Map<String, Counter> byOutcome = requests.computeIfAbsent(transport, t -> new ConcurrentHashMap<>());
        Counter count = byOutcome.get(outcome);
        if (count == null) {
            count = byOutcome.computeIfAbsent(outcome, o -> Counter.builder("kiban.serve.requests")
                    .description("Requests answered, by transport and outcome").tags("transport", transport, "outcome", o)
                    .register(registry));
        }
        count.increment();
        latency.computeIfAbsent(transport, t -> Timer.builder("kiban.serve.latency").description("Request receipt to reply sent")
                .tag("transport", t).publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** An error of {@code kind}: bad_input, internal, auth, too_large, send, busy, rate_limited, origin, host. */
    void error(String kind) {
        Counter.builder("kiban.serve.errors").description("Errors and refusals, by kind").tag("kind", kind).register(registry)
                .increment();
    }

    void batch(int size, long nanos) {
        batchSize.record(size);
        inference.record(nanos, TimeUnit.NANOSECONDS);
    }

    void reload() {
        reloads.increment();
    }

    AtomicInteger connections() {
        return connections;
    }

    /** The Prometheus text exposition. */
    String scrape() {
        return registry.scrape();
    }
}
