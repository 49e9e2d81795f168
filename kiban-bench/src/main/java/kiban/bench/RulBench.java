package kiban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kiban.core.progress.Progress;
import kiban.health.cmapss.CmapssReader;
import kiban.health.cmapss.EngineUnit;
import kiban.health.rul.RulConfig;
import kiban.health.rul.RulModel;
import kiban.health.rul.RulTrainer;
import kiban.health.rul.RulWindows;

/**
 * {@code kiban bench rul}: the RUL training run (every epoch's steps, its validation with the EMA
 * weights and Kiban's checkpoint) and the batch inference rate of the trained network, beside the
 * same network, optimiser, schedule, EMA and validation in Python PyTorch on the very same
 * windows ({@code bench/peers/rul.py}), in the same call and with the same thread count.
 */
public final class RulBench {

    private final Path trainFile;
    private final String subset;
    private final RulConfig config;
    private final int inferBatch;
    private final double inferSeconds;
    private final Path peerScript;

    public RulBench(Path trainFile, String subset, RulConfig config, int inferBatch, double inferSeconds, Path peerScript) {
        this.trainFile = trainFile;
        this.subset = subset;
        this.config = config;
        this.inferBatch = inferBatch;
        this.inferSeconds = inferSeconds;
        this.peerScript = peerScript;
    }

    public List<Measurement> run(Progress progress, String threads) throws IOException {
        List<EngineUnit> units = CmapssReader.readUnits(trainFile);
        RulTrainer.Prepared prepared = RulTrainer.prepare(units, config);
        Path tmp = Files.createTempDirectory("kiban-bench-rul");
        List<Measurement> out = new ArrayList<>();
        String setting = config.model().id() + " " + config.width() + "x" + config.layers() + ", batch " + config.batch()
                + ", " + config.epochs() + " epochs of " + prepared.train().count() + " windows";
        try {
            Path run = tmp.resolve("run");
            RulTrainer.Result r = new RulTrainer(config, run).train(units, trainFile, subset, false);
            out.add(new Measurement("kiban", "train " + setting, r.seconds(), "s", r.steps(), r.seconds()));
            progress.step(1);
            RulWindows probe = prepared.valid() != null ? prepared.valid() : prepared.train();
            int rows = Math.min(inferBatch, probe.count());
            int[] order = new int[rows];
            java.util.Arrays.setAll(order, i -> i);
            RulWindows batch = new RulWindows(rows, probe.window(), probe.features(), probe.inputs(order, 0, rows),
                    probe.targets(order, 0, rows));
            try (RulModel model = RulModel.load(run)) {
                for (int i = 0; i < 3; i++) {
                    model.predict(batch);
                }
                long n = 0;
                long start = System.nanoTime();
                while (System.nanoTime() - start < inferSeconds * 1e9) {
                    model.predict(batch);
                    n++;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                out.add(new Measurement("kiban", "infer batch " + rows, n * rows / seconds, "windows/s", n * rows, seconds));
            }
            progress.step(1);
            JsonNode peer = runPeer(tmp, prepared, rows, threads);
            out.add(new Measurement("pytorch " + peer.path("torch").asText(), "train " + setting,
                    peer.path("train_seconds").asDouble(), "s", peer.path("train_steps").asLong(),
                    peer.path("train_seconds").asDouble()));
            out.add(new Measurement("pytorch " + peer.path("torch").asText(), "infer batch " + rows,
                    peer.path("infer_rows").asDouble() / peer.path("infer_seconds").asDouble(), "windows/s",
                    peer.path("infer_rows").asLong(), peer.path("infer_seconds").asDouble()));
            progress.step(2);
            return out;
        } finally {
            deleteTree(tmp);
        }
    }

    private JsonNode runPeer(Path tmp, RulTrainer.Prepared p, int rows, String threads) throws IOException {
        RulWindows valid = p.valid() != null ? p.valid() : p.train();
        Path ti = write(tmp.resolve("train-inputs.f32"), p.train().inputs());
        Path tt = write(tmp.resolve("train-targets.f32"), p.train().targets());
        Path vi = write(tmp.resolve("valid-inputs.f32"), valid.inputs());
        Path vt = write(tmp.resolve("valid-targets.f32"), valid.targets());
        List<String> args = List.of("--train-inputs", ti.toString(), "--train-targets", tt.toString(), "--valid-inputs",
                vi.toString(), "--valid-targets", vt.toString(), "--model", config.model().id(), "--window",
                String.valueOf(config.window()), "--features", String.valueOf(p.features().size()), "--width",
                String.valueOf(config.width()), "--layers", String.valueOf(config.layers()), "--dropout",
                String.valueOf(config.dropout()), "--batch", String.valueOf(config.batch()), "--epochs",
                String.valueOf(config.epochs()), "--lr", String.valueOf(config.learningRate()), "--weight-decay",
                String.valueOf(config.weightDecay()), "--ema-max-decay", String.valueOf(config.emaMaxDecay()), "--cap",
                String.valueOf(config.cap()), "--infer-batch", String.valueOf(rows), "--seconds", String.valueOf(inferSeconds),
                "--threads", threads);
        return PythonPeer.run(peerScript, args, Map.of("OMP_NUM_THREADS", threads), 3600);
    }

    private static Path write(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return Files.write(file, b.array());
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
