package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import kiban.core.progress.Progress;
import kiban.policy.data.Batch;
import kiban.policy.foundation.FoundationConfig;
import kiban.policy.foundation.FoundationNetworks;
import kiban.policy.model.Networks;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.TrainStep;

/**
 * Time per training step of each policy beside the same network, batch, loss, clipping, AdamW
 * and EMA in Python PyTorch ({@code bench/peers/train_step.py}), measured in the same run. Both
 * sides copy the batch in from host memory at every step, and both run with the same glibc malloc
 * settings ({@link NativeHeap}). The peer runs under several thread settings and its fastest is
 * reported, so it is not handicapped by OpenMP and OpenBLAS threads fighting over two cores; it
 * is reported too under the thread setting Kiban ran with, the like-for-like figure. Kiban is
 * timed in as many windows as the peer has runs, interleaved with them, and its fastest kept.
 *
 * <p>The foundation policy is timed at its default config ({@link FoundationConfig#defaults()}:
 * width 128, 4 heads, 4 layers, 16 word tokens, batch 128) on one embodiment of PushT's sizes, its
 * trainer's padded rows and one embodiment's batch a step, beside {@code bench/peers/foundation.py};
 * first the peer is shown to compute Kiban's network ({@link FoundationPeerCheck}).
 */
public final class TrainBench {

    /** PushT's low-dimensional shapes: 2 observations of 6 encoded elements; 16 actions of 2. */
    public static final int OBSERVATION_INPUTS = 12;
    public static final int CHUNK_OUTPUTS = 32;
    /** The batch of every policy but the foundation one, which trains with its config's. */
    public static final int DEFAULT_BATCH = 256;

    /** Untimed steps before each side's timing: native allocations and the JIT settle. */
    private static final int WARMUP_STEPS = 20;
    /** The foundation network's steps take about a second on a 2-core machine, and settle as fast. */
    private static final int FOUNDATION_WARMUP_STEPS = 3;
    private static final FoundationConfig FOUNDATION = FoundationConfig.defaults();

    /** The peer's thread settings, of which its fastest is reported (the image bench times the same). */
    static final List<Map<String, String>> PEER_SETTINGS = List.of(
            Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1", "--threads", "1"),
            Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1", "--threads", "2"),
            Map.of("OMP_NUM_THREADS", "2", "OPENBLAS_NUM_THREADS", "1", "--threads", "2"));

    private final double seconds;
    private final OptionalInt batch;
    private final TrainConfig network;
    private final Path peerScript;

    /**
     * {@code network} gives the networks' shapes ({@code hidden}, {@code flow_head}); the policy is
     * set per figure. Without {@code batch}, {@link #DEFAULT_BATCH} rows, and the foundation
     * config's for the foundation policy.
     */
    public TrainBench(double seconds, OptionalInt batch, TrainConfig network, Path peerScript) {
        this.seconds = seconds;
        this.batch = batch;
        this.network = network;
        this.peerScript = peerScript;
    }

    public List<Measurement> run(List<String> policies, Progress progress) {
        List<Measurement> out = new ArrayList<>();
        for (String policy : policies) {
            out.addAll(compare(policy, progress));
        }
        return out;
    }

    /** Kiban's fastest window beside the peer's fastest setting and its run under Kiban's own ({@link TrainComparison}). */
    private List<Measurement> compare(String policy, Progress progress) {
        boolean foundation = policy.equals(FoundationConfig.POLICY);
        int rows = batch.orElse(foundation ? FOUNDATION.batch() : DEFAULT_BATCH);
        int warmup = foundation ? FOUNDATION_WARMUP_STEPS : WARMUP_STEPS;
        List<Measurement> out = new ArrayList<>();
        if (foundation) {
            out.addAll(FoundationPeerCheck.run(peerScript, FOUNDATION, NetworkPolicy.OBSERVATION_DIM, NetworkPolicy.ACTION_DIM));
        }
        try (TrainStep step = foundation ? foundationStep() : policyStep(policy, rows)) {
            Batch b = foundation ? foundationBatch(rows, step.network()) : randomBatch(rows, OBSERVATION_INPUTS, new SplittableRandom(0));
            out.addAll(TrainComparison.measure(policy, rows, step, b, warmup, seconds,
                    setting -> runPeer(policy, setting, rows, warmup)).figures());
        }
        progress.step(2);
        return out;
    }

    private TrainStep policyStep(String policy, int rows) {
        TrainConfig config = network.with(c -> c.put("policy", policy).put("steps", 1_000_000)
                .put("batch", rows).put("learning_rate", 1e-4).put("warmup_steps", 0).put("validation_fraction", 0));
        return new TrainStep(Networks.create(config, OBSERVATION_INPUTS, CHUNK_OUTPUTS), config, OBSERVATION_INPUTS, CHUNK_OUTPUTS);
    }

    /** The foundation network of one embodiment of PushT's sizes, with its trainer's optimiser and EMA settings. */
    private static TrainStep foundationStep() {
        PolicyNetwork net = FoundationNetworks.create(FOUNDATION, NetworkPolicy.OBSERVATION_DIM, NetworkPolicy.ACTION_DIM);
        return new TrainStep(net, FoundationNetworks.optimisation(FOUNDATION), (int) net.inputShape().get(1),
                FOUNDATION.horizon() * NetworkPolicy.ACTION_DIM);
    }

    /** Normal observations and actions, every action real. */
    private static Batch randomBatch(int rows, int inputs, SplittableRandom r) {
        float[] obs = new float[rows * inputs];
        float[] act = new float[rows * CHUNK_OUTPUTS];
        float[] mask = new float[rows * CHUNK_OUTPUTS];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < act.length; i++) {
            act[i] = (float) r.nextGaussian();
            mask[i] = 1f;
        }
        return new Batch(rows, obs, act, mask);
    }

    /** Rows as the foundation trainer lays them out: embodiment 0, normal states, word ids (0 pads). */
    private static Batch foundationBatch(int rows, PolicyNetwork net) {
        int inputs = (int) net.inputShape().get(1);
        SplittableRandom r = new SplittableRandom(0);
        Batch b = randomBatch(rows, inputs, r);
        int tokensFrom = inputs - FOUNDATION.maxTokens();
        for (int row = 0; row < rows; row++) {
            b.observations()[row * inputs] = 0;
            for (int i = tokensFrom; i < inputs; i++) {
                b.observations()[row * inputs + i] = r.nextInt(FOUNDATION.vocabulary() + 1);
            }
        }
        return b;
    }

    /**
     * The peer setting like this process's: libtorch (whose MKL runs on its OpenMP threads) takes
     * its thread count from {@code OMP_NUM_THREADS} where set, and its default otherwise; the
     * peer's OpenBLAS, which has threads of its own, gets the same count.
     */
    static Map<String, String> kibanThreads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp == null || omp.isBlank()) {
            return Map.of("--threads", "0");
        }
        return Map.of("OMP_NUM_THREADS", omp.strip(), "OPENBLAS_NUM_THREADS", omp.strip(), "--threads", omp.strip());
    }

    /** The peer's environment for {@code setting}: its thread variables, or none where Kiban runs without them. */
    static Map<String, String> peerEnvironment(Map<String, String> setting) {
        Map<String, String> env = new java.util.HashMap<>();
        if (!setting.containsKey("OMP_NUM_THREADS")) {
            env.put("OMP_NUM_THREADS", null);
            env.put("OPENBLAS_NUM_THREADS", null);
        }
        setting.forEach((k, v) -> {
            if (!k.startsWith("--")) {
                env.put(k, v);
            }
        });
        return env;
    }

    private JsonNode runPeer(String policy, Map<String, String> setting, int rows, int warmup) {
        List<String> args = new ArrayList<>(List.of("--policy", policy, "--batch", String.valueOf(rows), "--seconds",
                String.valueOf(seconds), "--threads", setting.get("--threads"), "--warmup", String.valueOf(warmup)));
        if (policy.equals(FoundationConfig.POLICY)) {
            args.addAll(List.of("--weight-decay", String.valueOf(FOUNDATION.weightDecay())));
            args.addAll(PythonPeer.foundationArguments(FOUNDATION, NetworkPolicy.OBSERVATION_DIM, NetworkPolicy.ACTION_DIM));
        } else {
            args.addAll(List.of("--head", PythonPeer.flow(network).head()));
            args.addAll(PythonPeer.networkArguments(network));
        }
        return PythonPeer.run(peerScript, args, peerEnvironment(setting), (long) (seconds * 4 + 120 + 10 * warmup));
    }
}
