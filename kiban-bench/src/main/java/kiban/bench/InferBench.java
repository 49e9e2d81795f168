package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import kiban.core.progress.Progress;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.TrainConfig;

/**
 * Batch-1 inference latency of each policy network on the CPU, PushT's shapes, as a control loop
 * calls it: one observation history in, one action chunk out (read back to Java), through the
 * {@link kiban.core.policy.Policy} boundary with the thread choice every Kiban policy makes
 * ({@link IntraOpThreads}). Beside it, where the peer has the network (mlp, act), the same network in
 * PyTorch eager at the same thread count, run by {@code bench/peers/infer_step.py}; the two take turns
 * in {@link #ROUNDS} rounds so that both meet the same quiet and busy moments of a shared machine.
 */
public final class InferBench {

    /** Policies whose network the Python peer builds. */
    static final Set<String> PEER_POLICIES = Set.of("mlp", "act");
    static final int ROUNDS = 2;
    private static final double[] QUANTILES = {0.5, 0.99, 0.999};
    private static final String[] QUANTILE_NAMES = {"p50", "p99", "p99.9"};

    private final int calls;
    private final Path peerScript;

    /** @param peerScript the Python peer, or null for Kiban's figures alone */
    public InferBench(int calls, Path peerScript) {
        this.calls = calls;
        this.peerScript = peerScript;
    }

    public List<Measurement> run(List<String> policies, Progress progress) {
        List<Measurement> out = new ArrayList<>();
        for (String policy : policies) {
            out.addAll(compare(policy));
            progress.step(1);
        }
        return out;
    }

    private List<Measurement> compare(String policy) {
        int threads = IntraOpThreads.forRows(1);
        boolean peer = peerScript != null && PEER_POLICIES.contains(policy);
        long[] kiban = new long[0];
        long[] python = new long[0];
        double pythonSeconds = 0;
        String torch = "";
        try (NetworkPolicy p = new NetworkPolicy(policy)) {
            for (int round = 0; round < (peer ? ROUNDS : 1); round++) {
                kiban = concat(kiban, time(p, calls / (peer ? ROUNDS : 1)));
                if (peer) {
                    JsonNode r = PythonPeer.run(peerScript, peerArguments(policy, threads, calls / ROUNDS), Map.of(), 120);
                    python = concat(python, samples(r));
                    pythonSeconds += r.get("seconds").asDouble();
                    torch = r.get("torch").asText();
                }
            }
        }
        List<Measurement> out = new ArrayList<>();
        Arrays.sort(kiban);
        double kibanSeconds = Arrays.stream(kiban).sum() / 1e9;
        for (int q = 0; q < QUANTILES.length; q++) {
            out.add(new Measurement(policy, "kiban, batch 1, " + threads + " thread(s), " + QUANTILE_NAMES[q],
                    percentile(kiban, QUANTILES[q]) / 1e6, "ms", kiban.length, kibanSeconds));
        }
        if (peer) {
            Arrays.sort(python);
            for (int q = 0; q < QUANTILES.length; q++) {
                out.add(new Measurement(policy, "python torch " + torch + " eager, batch 1, " + threads + " thread(s), "
                        + QUANTILE_NAMES[q], percentile(python, QUANTILES[q]) / 1e6, "ms", python.length, pythonSeconds));
            }
            for (int q = 0; q < 2; q++) {
                out.add(new Measurement(policy, "kiban / python, " + QUANTILE_NAMES[q],
                        percentile(kiban, QUANTILES[q]) / (double) percentile(python, QUANTILES[q]), "x", kiban.length,
                        kibanSeconds + pythonSeconds));
            }
        }
        out.add(new Measurement(policy, "kiban p99.9 / kiban p50", percentile(kiban, 0.999) / (double) percentile(kiban, 0.5), "x",
                kiban.length, kibanSeconds));
        return out;
    }

    /**
     * p50 and p99 of a forward pass of {@code batch} rows on one thread and on the engine's default,
     * the figures {@link IntraOpThreads#SMALL_BATCH_ROWS} is chosen from.
     */
    public List<Measurement> sweep(String policy, List<Integer> batches, Progress progress) {
        List<Measurement> out = new ArrayList<>();
        // One thread and the engine's default; just one setting where the default is one thread (OMP_NUM_THREADS=1).
        int[] settings = IntStream.of(1, IntraOpThreads.engineDefault()).distinct().toArray();
        try (NetworkPolicy p = new NetworkPolicy(policy)) {
            for (int batch : batches) {
                for (int threads : settings) {
                    // Each setting twice, in turn, so that neither gets the machine's quiet moments alone.
                    long[] ns = new long[0];
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int t : settings) {
                            IntraOpThreads.set(t);
                            long[] timed = timeBatch(p, batch, Math.max(50, calls / batch / ROUNDS));
                            if (t == threads) {
                                ns = concat(ns, timed);
                            }
                        }
                    }
                    Arrays.sort(ns);
                    for (int q = 0; q < 2; q++) {
                        out.add(new Measurement(policy, "batch " + batch + ", " + threads + " thread(s), " + QUANTILE_NAMES[q],
                                percentile(ns, QUANTILES[q]) / 1e6, "ms", ns.length, Arrays.stream(ns).sum() / 1e9));
                    }
                }
                progress.step(1);
            }
        } finally {
            IntraOpThreads.set(IntraOpThreads.engineDefault());
        }
        return out;
    }

    private long[] time(NetworkPolicy p, int n) {
        double[][] history = new double[NetworkPolicy.OBSERVATION_STEPS][NetworkPolicy.OBSERVATION_DIM];
        long[] ns = new long[n];
        for (int i = -n / 10; i < n; i++) {
            history[0][0] = i * 1e-3;
            long t0 = System.nanoTime();
            p.infer(history);
            if (i >= 0) {
                ns[i] = System.nanoTime() - t0;
            }
        }
        return ns;
    }

    private static long[] timeBatch(NetworkPolicy p, int batch, int n) {
        double[][][] histories = new double[batch][NetworkPolicy.OBSERVATION_STEPS][NetworkPolicy.OBSERVATION_DIM];
        long[] ns = new long[n];
        for (int i = -n / 10; i < n; i++) {
            long t0 = System.nanoTime();
            p.forward(histories);
            if (i >= 0) {
                ns[i] = System.nanoTime() - t0;
            }
        }
        return ns;
    }

    private static List<String> peerArguments(String policy, int threads, int n) {
        List<String> args = new ArrayList<>(List.of("--policy", policy, "--calls", String.valueOf(n), "--threads",
                String.valueOf(threads)));
        args.addAll(PythonPeer.networkArguments(TrainConfig.defaults()));
        return args;
    }

    /** A peer run's timed calls, in nanoseconds. */
    private static long[] samples(JsonNode r) {
        JsonNode ns = r.get("ns");
        long[] out = new long[ns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ns.get(i).asLong();
        }
        return out;
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
