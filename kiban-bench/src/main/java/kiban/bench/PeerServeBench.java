package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kiban.client.MetadataMaps;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.export.TorchScriptExport;
import kiban.policy.run.Policies;
import kiban.policy.run.TrainedPolicy;
import kiban.serve.PolicyServer;
import kiban.serve.ServeConfig;
import kiban.serve.Warmup;

/**
 * Kiban's policy server beside a Python one serving the same network, timed by the same Python
 * client: {@code kiban bench serve --peer python}. Kiban serves the run as {@code kiban serve RUN}
 * does with its default flags; the peer ({@code bench/peers/policy_server.py}) is written as
 * openpi's WebsocketPolicyServer is and rebuilds the run's network in eager PyTorch from the
 * spec and weights {@code kiban export} would script. One openpi-style client
 * ({@code bench/peers/latency_client.py}) times single round trips against each, in alternating
 * rounds so that drift on a shared machine falls on both; each server's samples are pooled.
 */
public final class PeerServeBench {

    /** The one peer there is. */
    public static final String PEER = "python";
    static final String SERVER_SCRIPT = "policy_server.py";
    static final String CLIENT_SCRIPT = "latency_client.py";
    private static final long READY_SECONDS = 120;

    /** {@code calls} timed round trips after {@code warmup} untimed ones, per server and round. */
    public record Options(int calls, int warmup, int rounds) {
        public Options {
            if (calls < 1 || warmup < 0 || rounds < 1) {
                throw new IllegalArgumentException("calls and rounds must be positive and warmup not negative: " + this);
            }
        }
    }

    /** One server's pooled samples (microseconds) and its actions for the client's fixed probe state. */
    public record Side(String name, double[] roundTripUs, double[] inferUs, double[][] probeActions) {}

    /** Both sides, the peer's PyTorch and its thread count, and the figures. */
    public record Result(Side kiban, Side python, String torch, int torchThreads, List<Measurement> measurements) {}

    private final Path peers;
    private final String python;
    private final Options options;

    /** @param peers the folder of the peer scripts ({@code bench/peers} of a Kiban checkout) */
    public PeerServeBench(Path peers, String python, Options options) {
        this.peers = peers;
        this.python = python;
        this.options = options;
    }

    /** Compares the servers on the training run {@code run}; {@code progress} counts client runs. */
    public Result run(Path run, Progress progress) {
        Path server = script(SERVER_SCRIPT);
        Path client = script(CLIENT_SCRIPT);
        checkPython();
        Path stage = null;
        try {
            stage = Files.createTempDirectory("kiban-peer-stage");
            Path metadata = stage.resolve("metadata.json");
            try (TrainedPolicy policy = TrainedPolicy.load(run)) {
                if (!policy.metadata().images().isEmpty()) {
                    throw new KibanException(run + ": its policy reads cameras " + policy.metadata().images()
                            + "; the peer comparison sends the state alone, so it needs a state-only run");
                }
                TorchScriptExport.writeStage(policy, stage);
                // The peer greets clients with Kiban's own metadata, so the client draws the same states for both.
                Files.writeString(metadata, Json.MAPPER.writeValueAsString(MetadataMaps.toMap(policy.metadata(), Map.of())));
            }
            try (PolicyServer kiban = new PolicyServer(ServeConfig.defaults(run).withPort(0), Policies::load).start();
                    Peer peer = Peer.start(python, server, stage, metadata)) {
                List<JsonNode> kibanRuns = new ArrayList<>();
                List<JsonNode> pythonRuns = new ArrayList<>();
                for (int r = 0; r < options.rounds(); r++) {
                    // The same seed for both in a round: the same states.
                    kibanRuns.add(runClient(client, kiban.url(), r));
                    progress.step(1);
                    pythonRuns.add(runClient(client, "ws://127.0.0.1:" + peer.port() + "/", r));
                    progress.step(1);
                }
                Side k = side("kiban", kibanRuns);
                Side p = side(PEER, pythonRuns);
                List<Measurement> m = measurements(k, p, peer.torch(), peer.threads());
                Warmup.Result w = kiban.warmup();
                m.add(new Measurement("kiban", "server warm-up before ready", w.calls(), "calls", w.calls(), w.millis() / 1e3));
                return new Result(k, p, peer.torch(), peer.threads(), m);
            }
        } catch (IOException e) {
            throw new KibanException("the peer comparison cannot write its stage folder or start the peer: " + e.getMessage(), e);
        } finally {
            if (stage != null) {
                deleteTree(stage);
            }
        }
    }

    private Path script(String name) {
        Path p = peers.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new KibanException(p + ": the peer script is missing; run Kiban from its checkout (./kiban), which has bench/peers");
        }
        return p;
    }

    /** Fails, naming what to install, when the Python lacks a module the peer scripts import. */
    private void checkPython() {
        PythonPeer.Exit e;
        try {
            e = PythonPeer.exec(new ProcessBuilder(python, "-c", "import torch, websockets, msgpack, numpy"), READY_SECONDS);
        } catch (IOException x) {
            throw new KibanException("cannot run '" + python + "' (" + x.getMessage() + "); " + installHint(), x);
        }
        if (e.status() != 0) {
            throw new KibanException("'" + python + "' cannot import what " + peers.resolve(SERVER_SCRIPT) + " and " + CLIENT_SCRIPT
                    + " need (" + PythonPeer.lastLine(e.err()) + "); " + installHint());
        }
    }

    private static String installHint() {
        return "the Python peer needs Debian's python3-torch, python3-websockets, python3-msgpack and python3-numpy"
                + " (scripts/install-test-deps installs them), or name a Python that has them with KIBAN_PYTHON";
    }

    private JsonNode runClient(Path client, String uri, int round) {
        // A generous bound: 50 ms a call is 100 times a slow round trip.
        long limit = 120 + (options.calls() + options.warmup()) / 20;
        try {
            PythonPeer.Exit e = PythonPeer.exec(new ProcessBuilder(python, client.toString(), uri, "--calls",
                    String.valueOf(options.calls()), "--warmup", String.valueOf(options.warmup()), "--seed", String.valueOf(round)), limit);
            if (e.status() != 0) {
                throw new KibanException(client + " against " + uri + " failed (exit status " + e.status() + "): " + PythonPeer.lastLine(e.err()));
            }
            return Json.MAPPER.readTree(PythonPeer.lastLine(e.out()));
        } catch (IOException e) {
            throw new KibanException("cannot run " + client + ": " + e.getMessage(), e);
        }
    }

    private static Side side(String name, List<JsonNode> runs) {
        List<Double> rtt = new ArrayList<>();
        List<Double> infer = new ArrayList<>();
        for (JsonNode run : runs) {
            run.get("rtt_us_samples").forEach(v -> rtt.add(v.asDouble()));
            run.get("infer_ms_samples").forEach(v -> infer.add(v.asDouble() * 1000));
        }
        JsonNode probe = runs.getLast().get("probe_actions");
        double[][] actions = new double[probe.size()][];
        for (int i = 0; i < actions.length; i++) {
            actions[i] = new double[probe.get(i).size()];
            for (int j = 0; j < actions[i].length; j++) {
                actions[i][j] = probe.get(i).get(j).asDouble();
            }
        }
        return new Side(name, sorted(rtt), sorted(infer), actions);
    }

    private static double[] sorted(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** The sample at floor(q n) of sorted samples, as the other serve figures take a quantile. */
    static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    private List<Measurement> measurements(Side k, Side p, String torch, int threads) {
        List<Measurement> out = new ArrayList<>();
        for (Side s : List.of(k, p)) {
            long n = s.roundTripUs().length;
            double seconds = Arrays.stream(s.roundTripUs()).sum() / 1e6;
            out.add(new Measurement(s.name(), "round trip p50", quantile(s.roundTripUs(), 0.5), "us", n, seconds));
            out.add(new Measurement(s.name(), "round trip p99", quantile(s.roundTripUs(), 0.99), "us", n, seconds));
            out.add(new Measurement(s.name(), "round trip p99.9", quantile(s.roundTripUs(), 0.999), "us", n, seconds));
            out.add(new Measurement(s.name(), "round trip mean", Arrays.stream(s.roundTripUs()).average().orElse(Double.NaN), "us",
                    n, seconds));
            out.add(new Measurement(s.name(), "server infer_ms p50", quantile(s.inferUs(), 0.5), "us", s.inferUs().length, seconds));
            out.add(new Measurement(s.name(), "server infer_ms p99", quantile(s.inferUs(), 0.99), "us", s.inferUs().length, seconds));
        }
        out.add(new Measurement(PEER, "torch " + torch + " intra-op threads", threads, "threads", 1, 0));
        long n = k.roundTripUs().length;
        for (double q : new double[] {0.5, 0.99}) {
            String name = q == 0.5 ? "p50" : "p99";
            out.add(new Measurement("kiban/python", "round trip " + name,
                    quantile(k.roundTripUs(), q) / quantile(p.roundTripUs(), q), "x", n, 0));
        }
        out.add(new Measurement("kiban", "round trip p99.9 / p50", quantile(k.roundTripUs(), 0.999) / quantile(k.roundTripUs(), 0.5),
                "x", n, 0));
        out.add(new Measurement("kiban/python", "probe actions, largest difference", largestDifference(k.probeActions(),
                p.probeActions()), "action units", 1, 0));
        return out;
    }

    /** The largest element-wise difference of two action chunks; infinite when their shapes differ. */
    static double largestDifference(double[][] a, double[][] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    /** Deletes a scratch folder; one left behind is only untidy. */
    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A temporary folder left behind; nothing depends on it.
        }
    }

    /** The peer server process: started, waited for until it says its port, and always stopped. */
    private record Peer(Process process, Path log, int port, String torch, int threads) implements AutoCloseable {

        static Peer start(String python, Path script, Path stage, Path metadata) throws IOException {
            Path log = Files.createTempFile("kiban-peer-server", ".log");
            Process p = new ProcessBuilder(python, script.toString(), stage.toString(), "--metadata", metadata.toString(),
                    "--port", "0").redirectError(log.toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                }).get(READY_SECONDS, TimeUnit.SECONDS);
                if (line == null) {
                    throw new KibanException(script + " exited before it listened: " + PythonPeer.lastLine(Files.readString(log)));
                }
                JsonNode ready = Json.parseTree(line, script + "'s ready line");
                return new Peer(p, log, ready.path("port").asInt(), ready.path("torch").asText("unknown"),
                        ready.path("threads").asInt());
            } catch (TimeoutException e) {
                stop(p, log);
                throw new KibanException(script + " did not listen within " + READY_SECONDS + " s: " + PythonPeer.lastLine(Files.readString(log)));
            } catch (ExecutionException e) {
                stop(p, log);
                throw new KibanException(script + ": " + e.getCause().getMessage(), e);
            } catch (InterruptedException e) {
                stop(p, log);
                Thread.currentThread().interrupt();
                throw new KibanException("interrupted", e);
            } catch (RuntimeException e) {
                stop(p, log);
                throw e;
            }
        }

        @Override
        public void close() {
            stop(process, log);
        }

        /** Closing its stdin ends the server; SIGTERM, then SIGKILL, where it does not. */
        private static void stop(Process p, Path log) {
            try {
                p.getOutputStream().close();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // A temporary file left behind; nothing depends on it.
                }
            }
        }
    }
}
