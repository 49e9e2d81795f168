package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import kiban.core.policy.PolicyObservation;
import kiban.core.progress.Progress;
import kiban.policy.foundation.FoundationConfig;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.TrainConfig;

/**
 * Batch-1 inference latency of each policy network on the CPU, PushT's shapes, as a control loop
 * calls it: one observation history in, one action chunk out (read back to Java), through the
 * {@link kiban.core.policy.Policy} boundary with the thread choice every Kiban policy makes
 * ({@link IntraOpThreads}). Beside it, where the peer has the network (mlp, act), the same network in
 * PyTorch eager at the same thread count, run by {@code bench/peers/infer_step.py}; the two take turns
 * in {@link #ROUNDS} rounds so that both meet the same quiet and busy moments of a shared machine.
 *
 * <p>The foundation policy (its default config on one embodiment of PushT's sizes, 10 flow steps,
 * an instruction's word tokens) is timed besides at {@link #FOUNDATION_BATCH} rows a call (or as many as asked), as a
 * server batching many clients' calls would run it, on the threads a policy takes for that many;
 * its peer is {@code bench/peers/foundation.py}, first shown to compute Kiban's network
 * ({@link FoundationPeerCheck}).
 */
public final class InferBench {

    /** Policies whose network the Python peer builds. */
    static final Set<String> PEER_POLICIES = Set.of("mlp", "act", FoundationConfig.POLICY);
    /** Rows of the foundation policy's batched figure unless told otherwise. */
    public static final int FOUNDATION_BATCH = 64;
    static final int ROUNDS = 2;

    private final int calls;
    private final Path peerScript;
    private final int foundationBatch;

    /** @param peerScript the Python peer, or null for Kiban's figures alone */
    public InferBench(int calls, Path peerScript) {
        this(calls, peerScript, FOUNDATION_BATCH);
    }

    /** With {@code foundationBatch} rows a call in the foundation policy's batched figure. */
    public InferBench(int calls, Path peerScript, int foundationBatch) {
        if (foundationBatch < 1) {
            throw new IllegalArgumentException("the batched figure needs at least one row, got " + foundationBatch);
        }
        this.calls = calls;
        this.peerScript = peerScript;
        this.foundationBatch = foundationBatch;
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
        boolean foundation = policy.equals(FoundationConfig.POLICY);
        int rounds = peer ? ROUNDS : 1;
        // A call of 64 rows takes about 30 one-row calls' time on one thread (2026-12-06, 2 cores): a hundredth as
        // many calls keeps the batched figure to about a third of the batch-1 figure's time.
        int batchCalls = foundation ? Math.max(2, calls / 100 / rounds) : 0;
        List<Measurement> out = new ArrayList<>();
        if (foundation && peer) {
            out.addAll(FoundationPeerCheck.run(peerScript, FoundationConfig.defaults(), NetworkPolicy.OBSERVATION_DIM,
                    NetworkPolicy.ACTION_DIM));
        }
        long[] kiban = new long[0];
        long[] python = new long[0];
        long[] kibanBatch = new long[0];
        long[] pythonBatch = new long[0];
        double pythonSeconds = 0;
        String torch = "";
        try (NetworkPolicy p = new NetworkPolicy(policy)) {
            for (int round = 0; round < rounds; round++) {
                kiban = Latencies.concat(kiban, time(p, calls / rounds));
                if (foundation) {
                    kibanBatch = Latencies.concat(kibanBatch, timeBatch(p, foundationBatch, batchCalls));
                }
                if (peer) {
                    List<String> args = peerArguments(policy, threads, calls / rounds);
                    if (foundation) {
                        args.addAll(List.of("--batch", String.valueOf(foundationBatch), "--batch-calls",
                                String.valueOf(batchCalls), "--batch-threads", String.valueOf(IntraOpThreads.forRows(foundationBatch))));
                    }
                    JsonNode r = PythonPeer.run(peerScript, args, Map.of(), foundation ? 600 : 120);
                    python = Latencies.concat(python, Latencies.samples(r.get("ns")));
                    if (foundation) {
                        pythonBatch = Latencies.concat(pythonBatch, Latencies.samples(r.get("batch_ns")));
                    }
                    pythonSeconds += r.get("seconds").asDouble();
                    torch = r.get("torch").asText();
                }
            }
        }
        out.addAll(Latencies.batchOne(policy, threads, kiban, peer ? python : null, torch, pythonSeconds));
        long[] k = Latencies.sorted(kiban);
        out.add(new Measurement(policy, "kiban p99.9 / kiban p50", Latencies.percentile(k, 0.999)
                / (double) Latencies.percentile(k, 0.5), "x", k.length, Latencies.seconds(k)));
        if (foundation) {
            String rows = "batch " + foundationBatch + ", " + IntraOpThreads.forRows(foundationBatch) + " thread(s)";
            out.addAll(Latencies.batched(policy, "kiban, " + rows, kibanBatch, foundationBatch));
            if (peer) {
                out.addAll(Latencies.batched(policy, "python torch " + torch + " eager, " + rows, pythonBatch, foundationBatch));
                out.add(Latencies.batchedRatio(policy, rows, kibanBatch, pythonBatch));
            }
        }
        return out;
    }

    /** Calls of {@code batch} rows through the policy boundary, which picks their threads. */
    private static long[] timeBatch(NetworkPolicy p, int batch, int n) {
        double[][][] histories = new double[batch][NetworkPolicy.OBSERVATION_STEPS][NetworkPolicy.OBSERVATION_DIM];
        PolicyObservation[][] observed = new PolicyObservation[batch][];
        for (int b = 0; b < batch; b++) {
            observed[b] = PolicyObservation.of(histories[b]); // holds the arrays: the change below reaches it
        }
        return Latencies.time(n, Math.max(1, n / 10), i -> {
            histories[0][0][0] = i * 1e-3;
            p.inferBatch(observed);
        });
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
                            long[] timed = timeForward(p, batch, Math.max(50, calls / batch / ROUNDS));
                            if (t == threads) {
                                ns = Latencies.concat(ns, timed);
                            }
                        }
                    }
                    Arrays.sort(ns);
                    for (int q = 0; q < 2; q++) {
                        out.add(new Measurement(policy, "batch " + batch + ", " + threads + " thread(s), "
                                + Latencies.QUANTILE_NAMES[q], Latencies.percentile(ns, Latencies.QUANTILES[q]) / 1e6, "ms",
                                ns.length, Latencies.seconds(ns)));
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
        return Latencies.time(n, n / 10, i -> {
            history[0][0] = i * 1e-3;
            p.infer(history);
        });
    }

    private static long[] timeForward(NetworkPolicy p, int batch, int n) {
        double[][][] histories = new double[batch][NetworkPolicy.OBSERVATION_STEPS][NetworkPolicy.OBSERVATION_DIM];
        return Latencies.time(n, n / 10, i -> p.forward(histories));
    }

    private static List<String> peerArguments(String policy, int threads, int n) {
        List<String> args = new ArrayList<>(List.of("--policy", policy, "--calls", String.valueOf(n), "--threads",
                String.valueOf(threads)));
        args.addAll(policy.equals(FoundationConfig.POLICY) ? PythonPeer.foundationArguments(FoundationConfig.defaults(),
                NetworkPolicy.OBSERVATION_DIM, NetworkPolicy.ACTION_DIM) : PythonPeer.networkArguments(TrainConfig.defaults()));
        return args;
    }
}
