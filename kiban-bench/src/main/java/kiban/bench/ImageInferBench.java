package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.core.policy.PolicyObservation;
import kiban.core.progress.Progress;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.TrainConfig;

/**
 * Inference of the flow image policy ({@link ImageNetwork}: PushT's 96x96 camera and agent position,
 * the {@code cnn} or {@code resnet} encoder, 10 flow steps) as a control loop calls it: one history of
 * states and recorded frames in, one chunk out, through the {@link kiban.core.policy.Policy} boundary
 * ({@link ImageNetworkPolicy}); and batched, as a server batching many clients runs it. Beside it the
 * same network in PyTorch eager at the same thread counts ({@code bench/peers/infer_step.py
 * --image-encoder}, uint8 frames in as the export's module takes them), the two taking turns in
 * {@link InferBench#ROUNDS} rounds. First the peer is shown to compute Kiban's network
 * ({@link ImagePeerCheck}); a peer run whose parameter count differs stops the benchmark.
 */
public final class ImageInferBench {

    private final int calls;
    private final Path peerScript;
    private final int batch;
    private final TrainConfig network;

    /** @param peerScript {@code bench/peers/infer_step.py}, or null for Kiban's figures alone */
    public ImageInferBench(int calls, Path peerScript, int batch, TrainConfig network) {
        if (batch < 1) {
            throw new IllegalArgumentException("the batched figure needs at least one row, got " + batch);
        }
        this.calls = calls;
        this.peerScript = peerScript;
        this.batch = batch;
        this.network = network;
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
        boolean peer = peerScript != null;
        int rounds = peer ? InferBench.ROUNDS : 1;
        int threads = IntraOpThreads.forRows(1);
        int batchThreads = IntraOpThreads.forRows(batch);
        // A call of 64 rows costs about 30 one-row calls (2026-12-06, 2 cores): a fiftieth as many keeps the batched figure
        // to about half the batch-1 figure's time.
        int batchCalls = Math.max(2, calls / 50 / rounds);
        List<Measurement> out = new ArrayList<>();
        if (peer) {
            out.addAll(ImagePeerCheck.run(peerScript, net));
        }
        long[] kiban = new long[0];
        long[] python = new long[0];
        long[] kibanBatch = new long[0];
        long[] pythonBatch = new long[0];
        double pythonSeconds = 0;
        String torch = "";
        try (ImageNetworkPolicy p = new ImageNetworkPolicy(net)) {
            SplittableRandom r = new SplittableRandom(0);
            PolicyObservation[][] one = histories(net, 1, r);
            PolicyObservation[][] many = histories(net, batch, r);
            for (int round = 0; round < rounds; round++) {
                kiban = Latencies.concat(kiban, time(p, one, calls / rounds));
                kibanBatch = Latencies.concat(kibanBatch, time(p, many, batchCalls));
                if (peer) {
                    List<String> args = new ArrayList<>(List.of("--policy", "flow", "--calls", String.valueOf(calls / rounds),
                            "--threads", String.valueOf(threads), "--batch", String.valueOf(batch), "--batch-calls",
                            String.valueOf(batchCalls), "--batch-threads", String.valueOf(batchThreads)));
                    args.addAll(net.peerArguments());
                    JsonNode j = PythonPeer.run(peerScript, args, Map.of(), 600);
                    PeerCheck.requireSameCount(p.parameterCount(), j.get("parameters").asLong(), "infer_step.py");
                    python = Latencies.concat(python, Latencies.samples(j.get("ns")));
                    pythonBatch = Latencies.concat(pythonBatch, Latencies.samples(j.get("batch_ns")));
                    pythonSeconds += j.get("seconds").asDouble();
                    torch = j.get("torch").asText();
                }
            }
        }
        out.addAll(Latencies.batchOne(subject, threads, kiban, peer ? python : null, torch, pythonSeconds));
        String rows = "batch " + batch + ", " + batchThreads + " thread(s)";
        out.addAll(batched(subject, "kiban, " + rows, net, kibanBatch));
        if (peer) {
            out.addAll(batched(subject, "python torch " + torch + " eager, " + rows, net, pythonBatch));
            out.add(Latencies.batchedRatio(subject, rows, kibanBatch, pythonBatch));
        }
        return out;
    }

    /** p50 and p99 of batched calls, the rows a second they sample at and the frames a second their encoder reads. */
    private List<Measurement> batched(String subject, String setting, ImageNetwork net, long[] ns) {
        List<Measurement> out = new ArrayList<>(Latencies.batched(subject, setting, ns, batch));
        Measurement rows = out.getLast();
        out.add(new Measurement(subject, "images through the encoder, inference, " + setting,
                rows.value() * net.framesPerRow(), "images/s", rows.operations(), rows.seconds()));
        return out;
    }

    /** One call's input of {@code rows} histories: normal states, random frames as a camera records them. */
    private static PolicyObservation[][] histories(ImageNetwork net, int rows, SplittableRandom r) {
        PolicyObservation[][] out = new PolicyObservation[rows][net.steps()];
        for (PolicyObservation[] h : out) {
            for (int k = 0; k < h.length; k++) {
                byte[] frame = new byte[ImageNetwork.camera().bytes()];
                for (int i = 0; i < frame.length; i++) {
                    frame[i] = (byte) r.nextInt(256);
                }
                h[k] = new PolicyObservation(new double[] {r.nextGaussian(), r.nextGaussian()}, Map.of(ImageNetwork.CAMERA, frame));
            }
        }
        return out;
    }

    /** {@code n} timed calls of {@code histories} (after a tenth as many untimed), each through the policy boundary. */
    private static long[] time(ImageNetworkPolicy p, PolicyObservation[][] histories, int n) {
        return Latencies.time(n, Math.max(1, n / 10), i -> {
            if (histories.length == 1) {
                p.infer(histories[0]);
            } else {
                p.inferBatch(histories);
            }
        });
    }
}
