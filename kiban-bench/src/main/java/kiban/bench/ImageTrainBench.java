package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import kiban.core.progress.Progress;
import kiban.policy.data.Batch;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.TrainStep;

/**
 * Time per training step of the flow image policy ({@link ImageNetwork}: PushT's 96x96 camera and
 * agent position, the {@code cnn} or {@code resnet} encoder) beside the same network, batch, loss,
 * clipping, AdamW and EMA in Python PyTorch ({@code bench/peers/train_step.py --image-encoder}),
 * measured in the same run as {@link TrainBench} measures the state policies: Kiban's fastest of as
 * many windows as the peer has runs, interleaved with them, the peer's fastest thread setting and
 * the peer under Kiban's own. Both sides copy their rows (states and frames as floats) in from host
 * memory at every step; images per second through the encoder are the rows' frames over the step
 * time, forward and backward. First the peer is shown to compute Kiban's network ({@link ImagePeerCheck}),
 * and a peer run whose parameter count differs stops the benchmark.
 */
public final class ImageTrainBench {

    /** Image steps take a tenth of a second or more on a 2-core machine, and settle within a few. */
    private static final int WARMUP_STEPS = 5;

    private final double seconds;
    private final int batch;
    private final TrainConfig network;
    private final Path peerScript;

    /** {@code network} gives the head's widths ({@code hidden}); {@code peerScript} is {@code bench/peers/train_step.py}. */
    public ImageTrainBench(double seconds, int batch, TrainConfig network, Path peerScript) {
        this.seconds = seconds;
        this.batch = batch;
        this.network = network;
        this.peerScript = peerScript;
    }

    /** Figures for each encoder in turn; {@code progress} steps once per encoder. */
    public List<Measurement> run(List<String> encoders, Progress progress) {
        List<Measurement> out = new ArrayList<>();
        for (String encoder : encoders) {
            out.addAll(compare(ImageNetwork.of(encoder, network, batch)));
            progress.step(1);
        }
        return out;
    }

    private List<Measurement> compare(ImageNetwork net) {
        String subject = ImagePeerCheck.subject(net);
        List<Measurement> out = new ArrayList<>(ImagePeerCheck.run(peerScript, net));
        Map<String, String> same = TrainBench.kibanThreads();
        List<Map<String, String>> settings = new ArrayList<>(TrainBench.PEER_SETTINGS);
        if (!settings.contains(same)) {
            settings.add(same);
        }
        Measurement kiban = null;
        Measurement best = null;
        Measurement like = null;
        try (TrainStep step = new TrainStep(net.create(), net.config(), net.inputs(), net.chunkOutputs())) {
            long parameters = ImageNetwork.parameterCount(step.network());
            Batch b = net.randomBatch(batch, new SplittableRandom(0));
            step.start();
            long k = 0;
            for (; k < WARMUP_STEPS; k++) {
                step.run(b, 1e-4, k);
            }
            for (Map<String, String> setting : settings) {
                long start = System.nanoTime();
                long deadline = start + (long) (seconds * 1e9);
                long steps = 0;
                while (System.nanoTime() < deadline || steps == 0) {
                    step.run(b, 1e-4, k++);
                    steps++;
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (kiban == null || 1000 * elapsed / steps < kiban.value()) {
                    kiban = new Measurement(subject, "kiban (DJL " + ai.djl.engine.Engine.getInstance().getEngineName() + " "
                            + ai.djl.engine.Engine.getInstance().getVersion() + "), batch " + batch + ", OMP "
                            + Objects.requireNonNullElse(System.getenv("OMP_NUM_THREADS"), "unset") + ", fastest of "
                            + settings.size() + " windows", 1000 * elapsed / steps, "ms/step", steps, elapsed);
                }
                JsonNode p = runPeer(net, setting);
                ImagePeerCheck.requireSameCount(parameters, p.get("parameters").asLong(), "train_step.py");
                Measurement m = new Measurement(subject, "python torch " + p.get("torch").asText() + ", batch " + batch + ", "
                        + p.get("threads").asInt() + " threads (OMP " + setting.getOrDefault("OMP_NUM_THREADS", "unset") + ")",
                        p.get("ms_per_step").asDouble(), "ms/step", p.get("steps").asLong(), p.get("seconds").asDouble());
                if (setting.equals(same)) {
                    like = new Measurement(subject, m.setting() + ", kiban's thread setting", m.value(), m.unit(),
                            m.operations(), m.seconds());
                }
                if (TrainBench.PEER_SETTINGS.contains(setting) && (best == null || m.value() < best.value())) {
                    best = m;
                }
            }
        }
        best = new Measurement(subject, best.setting() + ", fastest setting", best.value(), best.unit(), best.operations(),
                best.seconds());
        out.addAll(List.of(kiban, best, like));
        out.add(new Measurement(subject, "kiban / python, kiban's thread setting", kiban.value() / like.value(), "x",
                kiban.operations() + like.operations(), kiban.seconds() + like.seconds()));
        out.add(new Measurement(subject, "kiban / python, fastest setting", kiban.value() / best.value(), "x",
                kiban.operations() + best.operations(), kiban.seconds() + best.seconds()));
        for (Measurement m : List.of(kiban, best, like)) {
            out.add(imagesPerSecond(m, net));
        }
        return out;
    }

    /** Frames through the encoder (forward and backward) a second: each step's rows' frames over its time. */
    private Measurement imagesPerSecond(Measurement step, ImageNetwork net) {
        double frames = (double) batch * net.framesPerRow();
        return new Measurement(step.subject(), "images through the encoder, training, " + step.setting(),
                frames * 1000 / step.value(), "images/s", (long) (step.operations() * frames), step.seconds());
    }

    private JsonNode runPeer(ImageNetwork net, Map<String, String> setting) {
        List<String> args = new ArrayList<>(List.of("--policy", "flow", "--batch", String.valueOf(batch), "--seconds",
                String.valueOf(seconds), "--threads", setting.get("--threads"), "--warmup", String.valueOf(WARMUP_STEPS)));
        args.addAll(net.peerArguments());
        return PythonPeer.run(peerScript, args, TrainBench.peerEnvironment(setting), (long) (seconds * 4 + 180 + 10 * WARMUP_STEPS));
    }
}
