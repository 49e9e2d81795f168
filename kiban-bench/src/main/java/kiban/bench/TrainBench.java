package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.data.Batch;
import kiban.policy.model.Networks;
import kiban.policy.train.TrainConfig;
import kiban.policy.train.TrainStep;

/**
 * Time per training step of each policy beside the same network, batch, loss, clipping, AdamW
 * and EMA in Python PyTorch ({@code bench/peers/train_step.py}), measured in the same run. The
 * peer runs under several thread settings and its fastest is reported, so it is not handicapped
 * by OpenMP and OpenBLAS threads fighting over two cores.
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
    private final Path peerScript;

    public TrainBench(double seconds, int batch, Path peerScript) {
        this.seconds = seconds;
        this.batch = batch;
        this.peerScript = peerScript;
    }

    public List<Measurement> run(List<String> policies, Progress progress) {
        List<Measurement> out = new ArrayList<>();
        for (String policy : policies) {
            out.add(kiban(policy));
            progress.step(1);
            out.add(peer(policy));
            progress.step(1);
        }
        return out;
    }

    private Measurement kiban(String policy) {
        TrainConfig config = TrainConfig.defaults().with(c -> c.put("policy", policy).put("steps", 1_000_000)
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
        try (TrainStep step = new TrainStep(Networks.create(config, OBSERVATION_INPUTS, CHUNK_OUTPUTS), config,
                OBSERVATION_INPUTS, CHUNK_OUTPUTS)) {
            step.start();
            long k = 0;
            for (; k < 20; k++) {
                step.run(b, 1e-4, k);
            }
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            long steps = 0;
            while (System.nanoTime() < deadline) {
                step.run(b, 1e-4, k++);
                steps++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Measurement(policy, "kiban (DJL " + ai.djl.engine.Engine.getInstance().getEngineName() + " "
                    + ai.djl.engine.Engine.getInstance().getVersion() + "), batch " + batch, 1000 * elapsed / steps,
                    "ms/step", steps, elapsed);
        }
    }

    private Measurement peer(String policy) {
        Measurement best = null;
        for (Map<String, String> setting : PEER_SETTINGS) {
            JsonNode r = runPeer(policy, setting);
            Measurement m = new Measurement(policy, "python torch " + r.get("torch").asText() + ", batch " + batch
                    + ", " + r.get("threads").asInt() + " threads (OMP " + setting.get("OMP_NUM_THREADS") + ")",
                    r.get("ms_per_step").asDouble(), "ms/step", r.get("steps").asLong(), r.get("seconds").asDouble());
            if (best == null || m.value() < best.value()) {
                best = m;
            }
        }
        return best;
    }

    private JsonNode runPeer(String policy, Map<String, String> setting) {
        if (!Files.isRegularFile(peerScript)) {
            throw new KibanException(peerScript + ": the PyTorch peer script is missing");
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", peerScript.toString(), "--policy", policy,
                "--batch", String.valueOf(batch), "--obs", String.valueOf(OBSERVATION_INPUTS), "--chunk",
                String.valueOf(CHUNK_OUTPUTS), "--seconds", String.valueOf(seconds), "--threads", setting.get("--threads")));
        TrainConfig d = TrainConfig.defaults();
        cmd.addAll(List.of("--observation-steps", String.valueOf(d.observationSteps()), "--horizon", String.valueOf(d.horizon()),
                "--model-dim", String.valueOf(d.modelDim()), "--heads", String.valueOf(d.heads()), "--encoder-layers",
                String.valueOf(d.encoderLayers()), "--decoder-layers", String.valueOf(d.decoderLayers())));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        // The machine sets these for old OpenBLAS builds; they slow a current one, so the peer runs without them.
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        setting.forEach((k, v) -> {
            if (!k.startsWith("--")) {
                pb.environment().put(k, v);
            }
        });
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor((long) (seconds * 4 + 120), TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new KibanException("the PyTorch peer failed (is Debian's python3-torch installed? "
                        + "scripts/install-test-deps installs it): " + err.lines().reduce((a, b) -> b).orElse(""));
            }
            return Json.MAPPER.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        } catch (IOException e) {
            throw new KibanException("cannot run the PyTorch peer /usr/bin/python3: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanException("interrupted", e);
        }
    }
}
