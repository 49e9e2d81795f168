package kiban.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import kiban.bench.Measurement;
import kiban.bench.RulBench;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.health.rul.RulConfig;
import kiban.health.rul.RulModelType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kiban bench rul}: a RUL training run and its network's inference rate, beside the same in PyTorch. */
@Command(name = "rul", mixinStandardHelpOptions = true,
        description = "Time of a RUL training run (steps, per-epoch validation) and the batch inference rate, beside the "
                + "same network in Python PyTorch on the same windows (run in the same call).")
final class RulBenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The C-MAPSS folder.")
    Path data;

    @Option(names = "--subset", defaultValue = "FD001", description = "FD001 to FD004 (default: ${DEFAULT-VALUE}).")
    String subset;

    @Option(names = "--config", paramLabel = "FILE.json", description = "The RUL training config (default: the defaults of "
            + "kiban rul train).")
    Path config;

    @Option(names = "--model", description = "cnn, lstm or linear (the peer has no transformer; default: the config's).")
    String model;

    @Option(names = "--epochs", description = "Epochs to train (default: the config's).")
    Integer epochs;

    @Option(names = "--infer-batch", defaultValue = "1024", description = "Windows per inference batch (default: ${DEFAULT-VALUE}).")
    int inferBatch;

    @Option(names = "--seconds", defaultValue = "5", description = "Measured seconds of inference (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Override
    public void run() {
        if (inferBatch < 1 || !(seconds > 0)) {
            throw new ParameterException(spec.commandLine(), "--infer-batch and --seconds must be positive");
        }
        RulConfig cfg = RulConfig.defaults(RulModelType.LSTM);
        if (config != null) {
            cfg = RulConfig.read(Json.readTree(config), config.toString(), cfg);
        }
        var tree = cfg.toJson();
        if (model != null) {
            tree.put("model", model);
        }
        if (epochs != null) {
            tree.put("epochs", epochs).put("patience", epochs);
        }
        cfg = RulConfig.read(tree, "the command line", cfg);
        if (cfg.model() == RulModelType.TRANSFORMER || cfg.model() == RulModelType.DCNN) {
            throw new ParameterException(spec.commandLine(), "--model: the PyTorch peer builds cnn, lstm and linear");
        }
        String threads = System.getenv().getOrDefault("OMP_NUM_THREADS", "1");
        Path peer = Path.of(System.getProperty("kiban.home", ".")).resolve("bench/peers/rul.py");
        List<Measurement> results;
        try (Progress p = Progress.start("bench rul", "figures", 4, true)) {
            results = new RulBench(data.resolve("train_" + RulCommand.checkSubset(subset) + ".txt"), subset, cfg, inferBatch,
                    seconds, peer).run(p, threads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BenchCommand.print(spec.commandLine().getOut(), "bench rul (OMP_NUM_THREADS=" + threads + ")", results, json);
    }
}
