package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.progress.Progress;
import kiban.policy.data.Batch;
import kiban.policy.model.Networks;
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
 */
public final class TrainBench {

    /** PushT's low-dimensional shapes: 2 observations of 6 encoded elements; 16 actions of 2. */
    public static final int OBSERVATION_INPUTS = 12;
    public static final int CHUNK_OUTPUTS = 32;

    private static final List<Map<String, String>> PEER_SETTINGS = List.of(
            Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1", "--threads", "1"),
            Map.of("OMP_NUM_THREADS", "1", "OPENBLAS_NUM_THREADS", "1", "--threads", "2"),
            Map.of("OMP_NUM_THREADS", "2", "OPENBLAS_NUM_THREADS", "1", "--threads", "2"));

    private final double seconds;
    private final int batch;
    private final TrainConfig network;
    private final Path peerScript;

    /** {@code network} gives the networks' shapes ({@code hidden}, {@code flow_head}); the policy is set per figure. */
    public TrainBench(double seconds, int batch, TrainConfig network, Path peerScript) {
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

    /**
     * Kiban's figure is the fastest of as many timed windows as the peer has runs, each window just
     * before a peer run, so that on a shared machine both sides get the same number of chances at a
     * quiet moment; then the peer's fastest setting, and the peer under Kiban's own thread setting.
     */
    private List<Measurement> compare(String policy, Progress progress) {
        TrainConfig config = network.with(c -> c.put("policy", policy).put("steps", 1_000_000)
                .put("batch", batch).put("learning_rate", 1e-4).put("warmup_steps", 0).put("validation_fraction", 0));
        SplittableRandom r = new SplittableRandom(0);
        float[] obs = new float[batch * OBSERVATION_INPUTS];
        float[] act = new float[batch * CHUNK_OUTPUTS];
        float[] mask = new float[batch * CHUNK_OUTPUTS];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < act.length; i++) {
            act[i] = (float) r.nextGaussian();
            mask[i] = 1f;
        }
        Batch b = new Batch(batch, obs, act, mask);
        Map<String, String> same = kibanThreads();
        List<Map<String, String>> settings = new ArrayList<>(PEER_SETTINGS);
        if (!settings.contains(same)) {
            settings.add(same);
        }
        Measurement kiban = null;
        Measurement best = null;
        Measurement like = null;
        try (TrainStep step = new TrainStep(Networks.create(config, OBSERVATION_INPUTS, CHUNK_OUTPUTS), config,
                OBSERVATION_INPUTS, CHUNK_OUTPUTS)) {
            step.start();
            long k = 0;
            for (; k < 20; k++) {
                step.run(b, 1e-4, k);
            }
            for (Map<String, String> setting : settings) {
                long start = System.nanoTime();
                long deadline = start + (long) (seconds * 1e9);
                long steps = 0;
                while (System.nanoTime() < deadline) {
                    step.run(b, 1e-4, k++);
                    steps++;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (kiban == null || 1000 * elapsed / steps < kiban.value()) {
                    kiban = new Measurement(policy, "kiban (DJL " + ai.djl.engine.Engine.getInstance().getEngineName()
                            + " " + ai.djl.engine.Engine.getInstance().getVersion() + "), batch " + batch + ", OMP "
                            + java.util.Objects.requireNonNullElse(System.getenv("OMP_NUM_THREADS"), "unset")
                            + ", fastest of " + settings.size() + " windows", 1000 * elapsed / steps, "ms/step", steps, elapsed);
                }
                JsonNode p = runPeer(policy, setting);
                Measurement m = new Measurement(policy, "python torch " + p.get("torch").asText() + ", batch " + batch
                        + ", " + p.get("threads").asInt() + " threads (OMP " + setting.getOrDefault("OMP_NUM_THREADS", "unset")
                        + ")", p.get("ms_per_step").asDouble(), "ms/step", p.get("steps").asLong(), p.get("seconds").asDouble());
                if (setting.equals(same)) {
                    like = new Measurement(policy, m.setting() + ", kiban's thread setting", m.value(), m.unit(),
                            m.operations(), m.seconds());
                }
                if (PEER_SETTINGS.contains(setting) && (best == null || m.value() < best.value())) {
                    best = m;
                }
            }
        }
        progress.step(2);
        return List.of(kiban, new Measurement(policy, best.setting() + ", fastest setting", best.value(), best.unit(),
                best.operations(), best.seconds()), like);
    }

    /**
     * The peer setting like this process's: libtorch (whose MKL runs on its OpenMP threads) takes
     * its thread count from {@code OMP_NUM_THREADS} where set, and its default otherwise; the
     * peer's OpenBLAS, which has threads of its own, gets the same count.
     */
    private static Map<String, String> kibanThreads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        if (omp == null || omp.isBlank()) {
            return Map.of("--threads", "0");
        }
        return Map.of("OMP_NUM_THREADS", omp.strip(), "OPENBLAS_NUM_THREADS", omp.strip(), "--threads", omp.strip());
    }

    private JsonNode runPeer(String policy, Map<String, String> setting) {
        List<String> args = new ArrayList<>(List.of("--policy", policy, "--batch", String.valueOf(batch), "--seconds",
                String.valueOf(seconds), "--threads", setting.get("--threads"), "--head", PythonPeer.flow(network).head()));
        args.addAll(PythonPeer.networkArguments(network));
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
        return PythonPeer.run(peerScript, args, env, (long) (seconds * 4 + 120));
    }
}
