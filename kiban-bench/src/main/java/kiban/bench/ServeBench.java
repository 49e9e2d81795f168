package kiban.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import kiban.client.ClientOptions;
import kiban.client.MsgpackNumpy;
import kiban.client.NdArray;
import kiban.client.PolicyClient;
import kiban.client.Wire;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.progress.Progress;
import kiban.serve.PolicyServer;
import kiban.serve.ServeConfig;

/**
 * The policy server under load on loopback: well-behaved closed-loop WebSocket clients (each sends,
 * waits for the reply, sends again) for a fixed time, with batching off and on, and beside them
 * {@code hostile} clients that misbehave ({@link HostileClient.Kind}, in turn). Reports throughput,
 * round-trip percentiles and errors of the well-behaved clients, the mean batch, the server's
 * overhead (round trip minus the forward pass the server reports, {@code server_timing.infer_ms}),
 * what the hostile clients tried, and the heap: its peak while the scenario ran and what stays
 * after it (server and clients share the JVM).
 */
public final class ServeBench {

    /** Hostile clients of {@code kiban bench serve} when {@code --clients} is at least {@link #HOSTILE_FROM}. */
    public static final int DEFAULT_HOSTILE = 8;
    public static final int HOSTILE_FROM = 16;

    /** One scenario: how many clients (of them how many hostile), and the server's batching. */
    public record Scenario(int clients, int hostile, int maxBatch, double maxWaitMs) {
        String label() {
            return clients + " clients" + (hostile > 0 ? " (" + hostile + " hostile)" : "") + ", "
                    + (maxBatch == 1 ? "batching off" : "batching " + maxBatch + "/" + maxWaitMs + "ms");
        }
    }

    private final String name;
    private final Function<Path, Policy> loader;
    private final double seconds;

    public ServeBench(String policy, double seconds) {
        this(policy, p -> new NetworkPolicy(policy), seconds);
    }

    /** Serves whatever {@code loader} gives (a test's small policy). */
    ServeBench(String name, Function<Path, Policy> loader, double seconds) {
        this.name = name;
        this.loader = loader;
        this.seconds = seconds;
    }

    public List<Measurement> run(List<Scenario> scenarios, Progress progress) throws InterruptedException {
        List<Measurement> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            out.addAll(run(s));
            progress.step(1);
        }
        return out;
    }

    List<Measurement> run(Scenario s) throws InterruptedException {
        ServeConfig config = ServeConfig.defaults(Path.of(name)).withPort(0).withBatching(s.maxBatch(), s.maxWaitMs());
        try (PolicyServer server = new PolicyServer(config, loader).start()) {
            URI uri = URI.create(server.url());
            byte[] request = MsgpackNumpy.pack(request(server.metadata(), 0));
            List<PolicyClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < s.clients() - s.hostile(); i++) {
                    clients.add(PolicyClient.connect(uri, ClientOptions.defaults()));
                }
                // Warm up the JIT and the native library, then measure.
                load(clients, Math.min(1.0, seconds / 4), null, server.metadata());
                Samples samples = new Samples();
                Map<HostileClient.Kind, HostileClient.Tally> tallies = new EnumMap<>(HostileClient.Kind.class);
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> hostile = new ArrayList<>();
                HostileClient.Kind[] kinds = HostileClient.Kind.values();
                for (int h = 0; h < s.hostile(); h++) {
                    HostileClient.Kind kind = kinds[h % kinds.length];
                    HostileClient c = new HostileClient(kind, uri, config.limits().maxMessageBytes(), request,
                            server.metadata().observationDim(), stop, tallies.computeIfAbsent(kind, k -> new HostileClient.Tally()), h);
                    hostile.add(Thread.ofPlatform().name("bench-hostile-" + h).daemon().start(c));
                }
                HeapWatch heap = new HeapWatch();
                double elapsed;
                try {
                    elapsed = load(clients, seconds, samples, server.metadata());
                } finally {
                    stop.set(true);
                    for (Thread t : hostile) {
                        t.join(TimeUnit.SECONDS.toMillis(30));
                    }
                    heap.stop();
                }
                List<Measurement> out = samples.measurements(s.label(), elapsed);
                for (var e : tallies.entrySet()) {
                    String kind = e.getKey().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                    long attacks = e.getValue().attacks().sum();
                    out.add(new Measurement("serve", s.label() + ", hostile " + kind + " attacks", attacks, "connections", attacks,
                            elapsed));
                    out.add(new Measurement("serve", s.label() + ", hostile " + kind + " refused", e.getValue().refused().sum(),
                            "connections", attacks, elapsed));
                }
                out.add(new Measurement("serve", s.label() + ", heap peak", heap.peak() / 1048576.0, "MiB", 1, elapsed));
                out.add(new Measurement("serve", s.label() + ", heap peak after a collection", heap.peakAfterGc() / 1048576.0, "MiB",
                        1, elapsed));
                out.add(new Measurement("serve", s.label() + ", heap after", heap.afterGc() / 1048576.0, "MiB", 1, elapsed));
                return out;
            } finally {
                clients.forEach(PolicyClient::close);
            }
        }
    }

    /** A well-behaved request: the whole history, as Kiban's RemotePolicy sends it. */
    private static Map<String, Object> request(PolicyMetadata m, int seed) {
        double[][] history = new double[m.observationSteps()][m.observationDim()];
        history[0][0] = seed * 0.01;
        Map<String, Object> request = new LinkedHashMap<>();
        request.put(Wire.STATE, NdArray.float64(history));
        return request;
    }

    /** Runs every client in its own thread for {@code secs}; returns the wall time. */
    private double load(List<PolicyClient> clients, double secs, Samples samples, PolicyMetadata m) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients.size(); c++) {
            PolicyClient client = clients.get(c);
            Map<String, Object> request = request(m, c);
            threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                Sink sink = samples == null ? new Sink() : samples.sink();
                while (!stop.get()) {
                    long start = System.nanoTime();
                    try {
                        Map<String, Object> reply = client.infer(request).get(10, TimeUnit.SECONDS);
                        long rtt = System.nanoTime() - start;
                        @SuppressWarnings("unchecked")
                        Map<String, Object> timing = (Map<String, Object>) reply.get(Wire.SERVER_TIMING);
                        double inferMs = ((Number) timing.get("infer_ms")).doubleValue();
                        sink.add(rtt, (long) (rtt - inferMs * 1e6), ((Number) timing.get("batch_size")).intValue());
                    } catch (Exception e) {
                        sink.errors++;
                        if (sink.firstError == null) {
                            sink.firstError = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                        }
                    }
                }
            }));
        }
        Thread.sleep((long) (secs * 1000));
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * The heap while a scenario runs: the used heap sampled every 10 ms (garbage included, so it
     * says as much about the collector's pace as about the server), the largest heap left after a
     * collection (what was live, at most), and after the scenario what stays once collected.
     */
    private static final class HeapWatch {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private final AtomicLong peakAfterGc = new AtomicLong();
        private final AtomicBoolean done = new AtomicBoolean();
        private final Thread sampler;
        private final List<Runnable> unsubscribe = new ArrayList<>();
        private long after;

        HeapWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    NotificationListener listener = (n, handback) -> {
                        if (!done.get() && GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                                    (CompositeData) n.getUserData());
                            long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
                            peakAfterGc.accumulateAndGet(used, Math::max);
                        }
                    };
                    emitter.addNotificationListener(listener, null, null);
                    unsubscribe.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (ListenerNotFoundException e) {
                            // Already gone.
                        }
                    });
                }
            }
            sampler = Thread.ofPlatform().name("bench-heap").daemon().start(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() throws InterruptedException {
            done.set(true);
            sampler.join();
            unsubscribe.forEach(Runnable::run);
            System.gc();
            Thread.sleep(100);
            after = memory.getHeapMemoryUsage().getUsed();
        }

        long peak() {
            return peak.get();
        }

        long peakAfterGc() {
            return peakAfterGc.get();
        }

        long afterGc() {
            return after;
        }
    }

    /** One client thread's samples, merged after the run. */
    private static final class Sink {
        long[] rtt = new long[1 << 12];
        long[] overhead = new long[1 << 12];
        long batchSum;
        int n;
        long errors;
        String firstError;

        void add(long r, long o, int batch) {
            if (n == rtt.length) {
                rtt = Arrays.copyOf(rtt, n * 2);
                overhead = Arrays.copyOf(overhead, n * 2);
            }
            rtt[n] = r;
            overhead[n] = o;
            batchSum += batch;
            n++;
        }
    }

    private static final class Samples {
        private final List<Sink> sinks = new ArrayList<>();

        synchronized Sink sink() {
            Sink s = new Sink();
            sinks.add(s);
            return s;
        }

        List<Measurement> measurements(String label, double elapsed) {
            int n = sinks.stream().mapToInt(s -> s.n).sum();
            long[] rtt = new long[n];
            long[] overhead = new long[n];
            long errors = 0;
            long batchSum = 0;
            int at = 0;
            String firstError = null;
            for (Sink s : sinks) {
                System.arraycopy(s.rtt, 0, rtt, at, s.n);
                System.arraycopy(s.overhead, 0, overhead, at, s.n);
                at += s.n;
                errors += s.errors;
                batchSum += s.batchSum;
                firstError = firstError == null ? s.firstError : firstError;
            }
            Arrays.sort(rtt);
            Arrays.sort(overhead);
            List<Measurement> out = new ArrayList<>();
            out.add(new Measurement("serve", label + ", throughput", n / elapsed, "requests/s", n, elapsed));
            for (String q : List.of("50", "99", "99.9")) {
                out.add(new Measurement("serve", label + ", latency p" + q, quantile(rtt, q) / 1e6, "ms", n, elapsed));
            }
            for (String q : List.of("50", "99")) {
                out.add(new Measurement("serve", label + ", overhead p" + q, quantile(overhead, q) / 1e6, "ms", n, elapsed));
            }
            out.add(new Measurement("serve", label + ", mean batch", n == 0 ? 0 : (double) batchSum / n, "requests", n, elapsed));
            out.add(new Measurement("serve", label + ", errors" + (firstError == null ? "" : " (first: " + firstError + ")"), errors,
                    "requests", n, elapsed));
            return out;
        }

        private static double quantile(long[] sorted, String q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            double p = Double.parseDouble(q) / 100;
            return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
        }
    }

    /**
     * The scenarios of {@code kiban bench serve}: one client at batch 1, then {@code clients} (of them
     * {@code hostile} misbehaving) without and with batching.
     */
    public static List<Scenario> scenarios(int clients, int hostile, int maxBatch, double maxWaitMs) {
        return List.of(new Scenario(1, 0, 1, 0), new Scenario(clients, hostile, 1, 0), new Scenario(clients, hostile, maxBatch, maxWaitMs));
    }

    /** The hostile clients by default: {@link #DEFAULT_HOSTILE} of {@code clients} from {@link #HOSTILE_FROM} clients on. */
    public static int defaultHostile(int clients) {
        return clients >= HOSTILE_FROM ? DEFAULT_HOSTILE : 0;
    }
}
