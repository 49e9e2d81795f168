package kiban.policy.torchscript;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.error.KibanException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.normalize.FeatureNormalizer;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import kiban.policy.data.FeatureCodec;
import kiban.policy.data.ImagePixels;
import kiban.policy.data.InstructionTokens;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.PolicyFiles;

/** A TorchScript module from PyTorch as a Kiban policy (layout in the package documentation). */
public final class TorchScriptPolicy implements UnbatchedPolicy {

    public static final String TYPE = "torchscript";
    public static final String MODEL_FILE = "model.pt";

    private final PolicyMetadata metadata;
    private final Normalizer normalizer;
    private final Model model;
    private final ParameterStore store;
    private final Optional<InstructionTokens> tokens;
    private final List<String> trainedOn;

    private TorchScriptPolicy(PolicyMetadata metadata, Normalizer normalizer, Model model, Optional<InstructionTokens> tokens,
            List<String> trainedOn) {
        this.metadata = metadata;
        this.normalizer = normalizer;
        this.model = model;
        this.store = new ParameterStore(model.getNDManager(), false);
        this.tokens = tokens;
        this.trainedOn = List.copyOf(trainedOn);
    }

    /** Whether {@code dir} holds a TorchScript policy. */
    public static boolean isTorchScript(Path dir) {
        return Files.isRegularFile(dir.resolve(MODEL_FILE)) && Files.isRegularFile(dir.resolve("policy.json"));
    }

    public static TorchScriptPolicy load(Path dir) {
        PolicyMetadata metadata = PolicyFiles.read(dir.resolve("policy.json"));
        if (!TYPE.equals(metadata.type())) {
            throw new KibanException(dir.resolve("policy.json") + ": field 'type': expected \"" + TYPE + "\", got \""
                    + metadata.type() + "\"");
        }
        Path file = dir.resolve("policy.json");
        FieldReader root = FieldReader.root(Json.readTree(file), file.toString());
        Optional<InstructionTokens> tokens = readTokens(root);
        List<String> trainedOn = tokens.isEmpty() ? List.of() : PolicyFiles.readTrainedOn(root.requireObject("instructions"));
        Normalizer normalizer = Files.isRegularFile(dir.resolve("normalization.json"))
                ? Normalizer.load(dir.resolve("normalization.json")) : null;
        if (normalizer != null) {
            metadata.observation().forEach(f -> normalizer.get(FeatureCodec.observationKey(f)));
            metadata.action().forEach(f -> normalizer.get(FeatureCodec.actionKey(f)));
        }
        Model model = Model.newInstance("policy", "PyTorch");
        try {
            model.load(dir, MODEL_FILE);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new KibanException(dir.resolve(MODEL_FILE) + ": not a TorchScript module PyTorch can load: "
                    + e.getMessage(), e);
        }
        return new TorchScriptPolicy(metadata, normalizer, model, tokens, trainedOn);
    }

    /**
     * How the module reads instructions ({@code policy.json}'s {@code instructions}, as a foundation
     * policy's export writes it): word ids of {@link InstructionTokens}; empty where there is none.
     */
    private static Optional<InstructionTokens> readTokens(FieldReader r) {
        if (!r.has("instructions")) {
            return Optional.empty();
        }
        FieldReader i = r.requireObject("instructions");
        String encoder = i.requireText("encoder");
        if (!encoder.equals(InstructionTokens.NAME)) {
            throw i.require("encoder").invalid("\"" + InstructionTokens.NAME + "\", the word tokenizer a TorchScript"
                    + " policy's module reads", "\"" + encoder + "\"");
        }
        int version = i.requireInt("version", 1, Integer.MAX_VALUE);
        if (version != InstructionTokens.VERSION) {
            throw i.require("version").invalid(InstructionTokens.VERSION + " (this Kiban's " + InstructionTokens.NAME + ")",
                    String.valueOf(version));
        }
        return Optional.of(new InstructionTokens(i.requireInt("vocabulary", 1, 1 << 20), i.requireInt("max_tokens", 1, 512)));
    }

    /** The instructions the exported policy was trained on; empty for one that reads none. */
    @Override
    public List<String> instructions() {
        return trainedOn;
    }

    @Override
    public PolicyMetadata metadata() {
        return metadata;
    }

    /**
     * Calls {@code forward(obs)}, or for a policy that reads cameras {@code forward(obs, noise, images)}
     * with standard normal noise from libtorch's global generator (which Kiban's own sampling draws
     * from) and one uint8 tensor {@code (1, steps, height, width, channels)} per camera, or for one
     * that reads instructions {@code forward(obs, noise, tokens)} with the newest observation's
     * instruction as int64 word ids {@code (1, max_tokens)}, and for one that reads both (a foundation
     * embodiment with cameras) {@code forward(obs, noise, tokens, images)}. One history at a time: the exported
     * module's inputs have a batch of one.
     */
    @Override
    public double[][] inferOne(PolicyObservation[] history) {
        int steps = metadata.observationSteps();
        int obsDim = metadata.observationDim();
        int actDim = metadata.actionDim();
        if (history.length != steps) {
            throw new KibanException("policy needs " + steps + " observations, got " + history.length);
        }
        float[] input = new float[steps * obsDim];
        for (int k = 0; k < steps; k++) {
            double[] obs = history[k].state();
            if (normalizer != null) {
                obs = scale(obs, metadata.observation(), true, true);
            }
            for (int j = 0; j < obsDim; j++) {
                input[k * obsDim + j] = (float) obs[j];
            }
        }
        long expected = (long) metadata.horizon() * actDim;
        float[] out;
        IntraOpThreads.use(1);
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            NDList inputs = new NDList(scratch.create(input, new Shape(1, steps, obsDim)));
            if (!metadata.images().isEmpty() || tokens.isPresent()) {
                inputs.add(scratch.randomNormal(new Shape(1, expected)));
            }
            if (tokens.isPresent()) {
                float[] ids = tokens.get().encode(history[steps - 1].instruction());
                long[] words = new long[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    words[i] = (long) ids[i];
                }
                inputs.add(scratch.create(words, new Shape(1, words.length)));
            }
            for (ImageSpec s : metadata.images()) {
                inputs.add(frames(scratch, history, s));
            }
            NDArray y = model.getBlock().forward(store, inputs, false).singletonOrThrow();
            if (y.size() != expected) {
                throw new KibanException("the TorchScript module returned shape " + y.getShape() + ", expected (1, "
                        + metadata.horizon() + ", " + actDim + ") as policy.json says");
            }
            out = y.toType(DataType.FLOAT32, false).toFloatArray();
        }
        double[][] chunk = new double[metadata.horizon()][actDim];
        for (int h = 0; h < chunk.length; h++) {
            for (int j = 0; j < actDim; j++) {
                chunk[h][j] = out[h * actDim + j];
            }
            if (normalizer != null) {
                chunk[h] = scale(chunk[h], metadata.action(), false, false);
            }
        }
        return chunk;
    }

    /** One camera's frame history as {@code (1, steps, height, width, channels)} bytes, in the module's images list. */
    private static NDArray frames(NDManager m, PolicyObservation[] history, ImageSpec s) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(history.length * s.bytes());
        for (PolicyObservation o : history) {
            bytes.put(ImagePixels.frame(o, s));
        }
        NDArray frames = m.create(bytes.flip(), new Shape(1, history.length, s.height(), s.width(), s.channels()),
                DataType.UINT8);
        // DJL passes arrays named "x[]" to TorchScript as one list argument.
        frames.setName("images[]");
        return frames;
    }

    private double[] scale(double[] v, List<FeatureSpec> features, boolean observation, boolean forward) {
        double[] out = new double[v.length];
        int at = 0;
        for (FeatureSpec f : features) {
            FeatureNormalizer n = normalizer.get(observation ? FeatureCodec.observationKey(f) : FeatureCodec.actionKey(f));
            if (forward) {
                n.normalize(v, at, out, at);
            } else {
                n.denormalize(v, at, out, at);
            }
            at += f.size();
        }
        return out;
    }

    @Override
    public void seed(long seed) {
        kiban.policy.model.Networks.seedSampling(seed);
    }

    @Override
    public void close() {
        model.close();
    }
}
