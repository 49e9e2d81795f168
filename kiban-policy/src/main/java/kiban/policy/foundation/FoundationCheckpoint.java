package kiban.policy.foundation;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.policy.nn.Blocks;
import kiban.policy.run.RunDirectory;

/**
 * A foundation run's newest checkpoint as a whole: its config, its embodiments and its deployable
 * weights, which are the EMA weights of every trained parameter and, for parameters a fine-tuning
 * kept frozen (and so never averaged), the weights of {@code model.params}.
 */
public final class FoundationCheckpoint {

    private final Path root;
    private final FoundationConfig config;
    private final List<FoundationEmbodiment> embodiments;
    private final Path checkpoint;

    private FoundationCheckpoint(Path root, FoundationConfig config, List<FoundationEmbodiment> embodiments, Path checkpoint) {
        this.root = root;
        this.config = config;
        this.embodiments = List.copyOf(embodiments);
        this.checkpoint = checkpoint;
    }

    /** Reads the run in {@code dir}; errors name the file that is missing or wrong. */
    public static FoundationCheckpoint open(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        if (!run.exists() || !FoundationFiles.isFoundation(dir)) {
            throw new KibanException(dir + ": not a foundation policy's run (no config.json, or policy.json is not of type "
                    + FoundationNetwork.TYPE + ")");
        }
        FoundationConfig config = FoundationConfig.read(Json.readTree(run.config()), run.config().toString(),
                FoundationConfig.defaults());
        List<FoundationEmbodiment> embodiments = FoundationFiles.readEmbodiments(run, config);
        Path checkpoint = run.latestCheckpoint().orElseThrow(
                () -> new KibanException(dir + ": the run has no complete checkpoint yet"));
        return new FoundationCheckpoint(dir, config, embodiments, checkpoint);
    }

    public Path root() {
        return root;
    }

    public FoundationConfig config() {
        return config;
    }

    public List<FoundationEmbodiment> embodiments() {
        return embodiments;
    }

    /** The folder of the newest complete checkpoint, whose weights this serves. */
    public Path checkpointDir() {
        return checkpoint;
    }

    /** The number of scalar parameters of the network, every embodiment's heads and the trunk, trained or frozen. */
    public long parameterCount() {
        try (NDManager scratch = NDManager.newBaseManager()) {
            return network(scratch).block().getParameters().stream().mapToLong(p -> p.getValue().getArray().size()).sum();
        }
    }

    static FoundationDims dims(FoundationConfig config, List<FoundationEmbodiment> embodiments) {
        return new FoundationDims(embodiments.stream().map(FoundationEmbodiment::sizes).toList(), config.observationSteps(),
                config.horizon(), config.modelDim(), config.heads(), config.layers(), config.tokens(), config.loraRank(),
                config.imageEncoder(), config.imageFeatureDim());
    }

    /** A network of this checkpoint's shape with its deployable weights, its parameters in {@code manager}. */
    FoundationNetwork network(NDManager manager) {
        FoundationNetwork net = new FoundationNetwork(dims(config, embodiments), config.flowSteps());
        net.block().initialize(manager, DataType.FLOAT32, net.inputShape());
        Path params = checkpoint.resolve("model.params");
        try (DataInputStream in = new DataInputStream(Files.newInputStream(params))) {
            net.block().loadParameters(manager, in);
        } catch (IOException | MalformedModelException e) {
            throw new KibanException(params + ": cannot read the weights of this foundation run: " + e.getMessage(), e);
        }
        Map<String, NDArray> ema = new LinkedHashMap<>();
        Path averaged = checkpoint.resolve("ema.ndlist");
        try (InputStream in = Files.newInputStream(averaged)) {
            NDList.decode(manager, in).forEach(a -> ema.put(a.getName(), a));
        } catch (IOException e) {
            throw new KibanException(averaged + ": cannot read: " + e.getMessage(), e);
        }
        for (var p : net.block().getParameters()) {
            NDArray live = p.getValue().getArray();
            // Inference only: libtorch refuses in-place copies into arrays that record gradients on other threads.
            live.setRequiresGradient(false);
            NDArray w = ema.get(p.getKey());
            if (w != null) {
                if (!w.getShape().equals(live.getShape())) {
                    throw new KibanException(averaged + ": parameter " + p.getKey() + " has shape " + w.getShape()
                            + ", the network's is " + live.getShape());
                }
                Blocks.assign(live, w);
            }
        }
        return net;
    }

    /**
     * Copies this checkpoint's weights into {@code block}, a network that holds every embodiment of
     * this one in the same order and possibly more: their parameters keep the values they were
     * initialised with.
     */
    void copyWeightsInto(Block block) {
        try (NDManager scratch = NDManager.newBaseManager()) {
            FoundationNetwork base = network(scratch);
            Map<String, NDArray> weights = new LinkedHashMap<>();
            base.block().getParameters().forEach(p -> weights.put(p.getKey(), p.getValue().getArray()));
            for (var p : block.getParameters()) {
                NDArray w = weights.get(p.getKey());
                if (w != null) {
                    Blocks.assign(p.getValue().getArray(), w);
                }
            }
        }
    }
}
