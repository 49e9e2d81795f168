package kiban.policy.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kiban.core.error.KibanException;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.PolicyMetadata;
import kiban.policy.data.FeatureCodec;
import kiban.policy.data.ImageAugmentation;
import kiban.policy.data.ImagePixels;
import kiban.policy.model.ContinuingNetwork;
import kiban.policy.model.GuidanceWeights;
import kiban.policy.model.Networks;
import kiban.policy.model.ObservationLayout;
import kiban.policy.nn.Blocks;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.model.PolicyNetwork;

/**
 * A policy loaded from a run folder, with the EMA weights of its newest checkpoint. For a run
 * trained with {@code delta_actions}, {@link #inferBatch} returns steps for those features, as
 * {@link Policy} describes; the executor adds the measured observation. A run trained with
 * {@code image_features} reads each observation's camera frames too. A run trained on several
 * instructions ({@link #instructions()}) reads the newest observation's
 * {@link PolicyObservation#instruction()}; an observation without one (such as
 * {@link Policy#infer(double[][])} makes) is encoded as all zeros, an input no training row had:
 * what the policy does then was never trained, so callers give it the task's instruction.
 */
public final class TrainedPolicy implements Policy {

    /** One parameter tensor of the network: its DJL name, shape and row-major values. */
    public record Weight(String name, long[] shape, float[] values) {}

    private final TrainConfig config;
    private final PolicyMetadata metadata;
    private final FeatureCodec codec;
    private final PolicyNetwork net;
    private final NDManager manager;
    private final ParameterStore store;
    private final int observationInputs;
    private final Optional<Instructions> instructions;

    private TrainedPolicy(TrainConfig config, PolicyMetadata metadata, FeatureCodec codec, PolicyNetwork net, NDManager manager,
            int observationInputs, Optional<Instructions> instructions) {
        this.config = config;
        this.metadata = metadata;
        this.codec = codec;
        this.net = net;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.observationInputs = observationInputs;
        this.instructions = instructions;
    }

    /** Loads the run in {@code runDir}; errors name the file that is missing or wrong. */
    public static TrainedPolicy load(Path runDir) {
        RunDirectory run = new RunDirectory(runDir);
        if (!run.exists()) {
            throw new KibanException(notARun(runDir));
        }
        TrainConfig config = TrainConfig.of(run);
        PolicyMetadata metadata = PolicyFiles.read(run.policy());
        Optional<Instructions> instructions = PolicyFiles.readInstructions(run.policy());
        Normalizer normalizer = Normalizer.load(run.normalization());
        FeatureCodec codec = new FeatureCodec(metadata.observation(), metadata.action(), normalizer, config.stateFeatures());
        Path checkpoint = run.latestCheckpoint().orElseThrow(
                () -> new KibanException(runDir + ": the run has no complete checkpoint yet"));
        // The network reads crop-sized images where training cropped them; encode() centre-crops each frame.
        ObservationLayout layout = Networks.layout(config, codec.encodedObservationDim(),
                config.imageAugmentation().inputs(metadata.images()),
                instructions.map(i -> i.features().buckets()).orElse(0));
        PolicyNetwork net = Networks.create(config, layout, metadata.horizon() * codec.actionDim());
        NDManager manager = NDManager.newBaseManager();
        try {
            net.block().initialize(manager, DataType.FLOAT32, net.inputShape());
            Map<String, NDArray> ema = new LinkedHashMap<>();
            try (InputStream in = Files.newInputStream(checkpoint.resolve("ema.ndlist"))) {
                NDList.decode(manager, in).forEach(a -> ema.put(a.getName(), a));
            }
            for (var p : net.block().getParameters()) {
                NDArray w = ema.get(p.getKey());
                if (w == null || !w.getShape().equals(p.getValue().getArray().getShape())) {
                    throw new KibanException(checkpoint.resolve("ema.ndlist") + ": parameter " + p.getKey()
                            + " is missing or has the wrong shape for a " + config.policy() + " policy");
                }
                // Inference only: without this, libtorch refuses the in-place copy on threads whose grad
                // mode is on (any thread but the one that started the engine), such as a server's.
                p.getValue().getArray().setRequiresGradient(false);
                Blocks.assign(p.getValue().getArray(), w);
            }
        } catch (IOException e) {
            manager.close();
            throw new KibanException(checkpoint + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new TrainedPolicy(config, metadata, codec, net, manager, layout.inputs(), instructions);
    }

    /** Why {@code dir} is not a run, with the folder to pass where it is a checkpoint of one. */
    static String notARun(Path dir) {
        if (!Files.exists(dir)) {
            return dir + ": no such folder";
        }
        Path absolute = dir.toAbsolutePath().normalize();
        Path checkpoints = absolute.getFileName() != null && absolute.getFileName().toString().equals("checkpoints")
                ? absolute : absolute.getParent();
        if (checkpoints != null && checkpoints.getParent() != null && checkpoints.getFileName().toString().equals("checkpoints")
                && new RunDirectory(checkpoints.getParent()).exists()) {
            Path runDir = checkpoints.getParent();
            Path shown = dir.isAbsolute() ? runDir : Path.of("").toAbsolutePath().relativize(runDir);
            return dir + ": a checkpoint folder of the training run " + (shown.toString().isEmpty() ? "." : shown)
                    + "; pass the run's folder (it loads the run's newest checkpoint)";
        }
        return dir + (Files.isDirectory(dir) ? ": not a training run (no config.json)" : ": not a folder; pass a training run's folder");
    }

    /** The config the run was trained with (network type, widths, flow steps). */
    public TrainConfig config() {
        return config;
    }

    /** How observations become network inputs and network outputs become actions. */
    public FeatureCodec codec() {
        return codec;
    }

    /** The loaded (EMA) weights in the network's parameter order, for export. */
    public java.util.List<Weight> weights() {
        return net.block().getParameters().stream().map(p -> {
            NDArray a = p.getValue().getArray();
            return new Weight(p.getKey(), a.getShape().getShape(), a.toFloatArray());
        }).toList();
    }

    /** The number of scalar parameters of the network, every one counted. */
    public long parameterCount() {
        return net.block().getParameters().stream().mapToLong(p -> p.getValue().getArray().size()).sum();
    }

    /** How the policy reads instructions, and the ones it was trained on; empty for a policy that ignores them. */
    public Optional<Instructions> instructionEncoding() {
        return instructions;
    }

    @Override
    public java.util.List<String> instructions() {
        return instructions.map(Instructions::trainedOn).orElse(java.util.List.of());
    }

    @Override
    public PolicyMetadata metadata() {
        return metadata;
    }

    /** All the histories, with their images, in one forward pass. */
    @Override
    public double[][][] inferBatch(PolicyObservation[][] histories) {
        float[] input = encode(histories);
        float[] chunks;
        IntraOpThreads.use(histories.length);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray obs = scratch.create(input, new Shape(histories.length, observationInputs));
            chunks = net.predict(store, obs).toFloatArray();
        }
        return decode(chunks, histories.length);
    }

    /** A policy whose network samples its chunks (flow, diffusion) can inpaint them around given rows. */
    @Override
    public boolean continuesChunks() {
        return net instanceof ContinuingNetwork;
    }

    /**
     * A chunk sampled with its first rows inpainted to {@code frozen} ({@link ContinuingNetwork#predictContinuing}).
     * The rows are normalised as training normalises its targets (steps for delta actions, as
     * {@link #inferBatch} returns them), so the sampler sees them as it saw demonstrations.
     */
    @Override
    public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen) {
        return continuing(history, frozen, new double[0][]);
    }

    /** As above, the rows after the frozen ones guided toward {@code following} with RTC's soft mask ({@link GuidanceWeights#soft}). */
    @Override
    public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen, double[][] following) {
        return continuing(history, frozen, following);
    }

    private double[][] continuing(PolicyObservation[] history, double[][] frozen, double[][] following) {
        if (!(net instanceof ContinuingNetwork sampler)) {
            return Policy.super.inferContinuing(history, frozen);
        }
        int horizon = metadata.horizon();
        float[] target = codec.encodeGuidingRows(frozen, following, horizon);
        GuidanceWeights guidance = GuidanceWeights.continuing(horizon, codec.actionDim(), frozen.length, following.length);
        float[] input = encode(new PolicyObservation[][] {history});
        float[] chunk;
        IntraOpThreads.use(1);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray obs = scratch.create(input, new Shape(1, observationInputs));
            NDArray rows = scratch.create(target, new Shape(1, target.length));
            chunk = sampler.predictContinuing(store, obs, rows, guidance).toFloatArray();
        }
        return decode(chunk, 1)[0];
    }

    /** The network's input rows for {@code histories}, laid out as training lays them out. */
    private float[] encode(PolicyObservation[][] histories) {
        int batch = histories.length;
        int steps = metadata.observationSteps();
        int encoded = codec.encodedObservationDim();
        float[] input = new float[batch * observationInputs];
        for (int b = 0; b < batch; b++) {
            PolicyObservation[] history = histories[b];
            if (history.length != steps) {
                throw new KibanException("policy needs " + steps + " observations, got " + history.length);
            }
            int row = b * observationInputs;
            for (int k = 0; k < steps; k++) {
                codec.encodeObservation(history[k].state(), input, row + k * encoded);
            }
            // Laid out as ChunkWindows lays out training rows: each camera's frames after the states.
            int at = row + steps * encoded;
            ImageAugmentation crop = config.imageAugmentation();
            for (ImageSpec s : metadata.images()) {
                ImageAugmentation.Draw centre = crop.centre(s);
                int bytes = crop.input(s).bytes();
                for (int k = 0; k < steps; k++) {
                    crop.apply(ImagePixels.frame(history[k], s), s, centre, input, at);
                    at += bytes;
                }
            }
            // The newest observation's instruction, as training reads its window's frame's.
            if (instructions.isPresent()) {
                instructions.get().features().encode(history[steps - 1].instruction(), input, at);
            }
        }
        return input;
    }

    private double[][][] decode(float[] chunks, int batch) {
        return codec.decodeChunks(chunks, batch, metadata.horizon());
    }

    @Override
    public void seed(long seed) {
        Networks.seedSampling(seed);
    }

    @Override
    public void close() {
        manager.close();
    }
}
