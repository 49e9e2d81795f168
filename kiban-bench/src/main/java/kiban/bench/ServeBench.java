package kiban.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kiban.client.ClientOptions;
import kiban.client.NdArray;
import kiban.client.PolicyClient;
import kiban.client.Wire;
import kiban.core.progress.Progress;
import kiban.serve.PolicyServer;
import kiban.serve.ServeConfig;

/**
 * The policy server under load on loopback: {@code clients} closed-loop WebSocket clients (each
 * sends, waits for the reply, sends again) for a fixed time, with batching off and on. Reports
 * throughput, round-trip percentiles, errors, the mean batch, and the server's overhead: round
 * trip minus the forward pass's time the server reports ({@code server_timing.infer_ms}).
 */
public final class ServeBench {

    /** One scenario: how many clients, and the server's batching. */
    public record Scenario(int clients, int maxBatch, double maxWaitMs) {
        String label() {
            return clients + " clients, " + (maxBatch == 1 ? "batching off" : "batching " + maxBatch + "/" + maxWaitMs + "ms");
        }
    }

    private final String policy;
    private final double seconds;

    public ServeBench(String policy, double seconds) {
        this.policy = policy;
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

    private List<Measurement> run(Scenario s) throws InterruptedException {
        ServeConfig config = ServeConfig.defaults(Path.of(policy)).withPort(0).withBatching(s.maxBatch(), s.maxWaitMs());
        try (PolicyServer server = new PolicyServer(config, p -> new NetworkPolicy(policy)).start()) {
            URI uri = URI.create(server.url());
            List<PolicyClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < s.clients(); i++) {
                    clients.add(PolicyClient.connect(uri, ClientOptions.defaults()));
                }
                // Warm up the JIT and the native library, then measure.
                load(clients, Math.min(1.0, seconds / 4), null);
                Samples samples = new Samples();
                double elapsed = load(clients, seconds, samples);
                return samples.measurements(s.label(), elapsed);
            } finally {
                clients.forEach(PolicyClient::close);
            }
        }
    }

    /** Runs every client in its own thread for {@code secs}; returns the wall time. */
    private double load(List<PolicyClient> clients, double secs, Samples samples) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients.size(); c++) {
            PolicyClient client = clients.get(c);
            int seed = c;
            threads.add(Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                double[][] history = new double[NetworkPolicy.OBSERVATION_STEPS][NetworkPolicy.OBSERVATION_DIM];
                history[0][0] = seed * 0.01;
                Map<String, Object> request = new LinkedHashMap<>();
                request.put(Wire.STATE, NdArray.float64(history));
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

    /** One client thread's samples, merged after the run. */
    private static final class Sink {
        long[] rtt = new long[1 << 12];
        long[] overhead = new long[1 << 12];
        long batchSum;
        int n;
        long errors;

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
            for (Sink s : sinks) {
                System.arraycopy(s.rtt, 0, rtt, at, s.n);
                System.arraycopy(s.overhead, 0, overhead, at, s.n);
                at += s.n;
                errors += s.errors;
                batchSum += s.batchSum;
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
            out.add(new Measurement("serve", label + ", errors", errors, "requests", n, elapsed));
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

    /** The scenarios of {@code kiban bench serve}: one client at batch 1, then {@code clients} without and with batching. */
    public static List<Scenario> scenarios(int clients, int maxBatch, double maxWaitMs) {
        return List.of(new Scenario(1, 1, 0), new Scenario(clients, 1, 0), new Scenario(clients, maxBatch, maxWaitMs));
    }

}
