package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        TrainComparison c;
        try (TrainStep step = new TrainStep(net.create(), net.config(), net.inputs(), net.chunkOutputs())) {
            long parameters = ImageNetwork.parameterCount(step.network());
            Batch b = net.randomBatch(batch, new SplittableRandom(0));
            c = TrainComparison.measure(subject, batch, step, b, WARMUP_STEPS, seconds, setting -> {
                JsonNode p = runPeer(net, setting);
                PeerCheck.requireSameCount(parameters, p.get("parameters").asLong(), "train_step.py");
                return p;
            });
        }
        out.addAll(c.figures());
        for (Measurement m : List.of(c.kiban(), c.best(), c.like())) {
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
