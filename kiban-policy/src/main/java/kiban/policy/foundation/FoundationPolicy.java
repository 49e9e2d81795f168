package kiban.policy.foundation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kiban.core.error.KibanException;
import kiban.core.error.UnknownNameException;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.policy.data.FeatureCodec;
import kiban.policy.data.InstructionTokens;
import kiban.policy.model.GuidanceWeights;
import kiban.policy.model.Networks;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.OneOfSeveralEmbodiments;

/**
 * A foundation checkpoint serving one of its embodiments, chosen when it is loaded: observations
 * and actions in that embodiment's units, the newest observation's instruction read as word
 * tokens (an observation without one reads as no words, which training saw only for datasets
 * without tasks). Chunks are sampled by flow matching, so it continues chunks for real-time chunking.
 */
public final class FoundationPolicy implements Policy, OneOfSeveralEmbodiments {

    private final FoundationCheckpoint checkpoint;
    private final FoundationEmbodiment embodiment;
    private final int index;
    private final FeatureCodec codec;
    private final NDManager manager;
    private final FoundationNetwork net;
    private final ParameterStore store;
    private final InstructionTokens tokens;

    private FoundationPolicy(FoundationCheckpoint checkpoint, int index, NDManager manager, FoundationNetwork net) {
        this.checkpoint = checkpoint;
        this.index = index;
        this.embodiment = checkpoint.embodiments().get(index);
        this.codec = embodiment.codec();
        this.manager = manager;
        this.net = net;
        this.store = new ParameterStore(manager, false);
        this.tokens = checkpoint.config().tokens();
    }

    /**
     * Loads the run in {@code dir} for the embodiment that answers to {@code key} (its name or its
     * simulator's); without a key, the run's only embodiment.
     */
    public static FoundationPolicy load(Path dir, Optional<String> key) {
        FoundationCheckpoint checkpoint = FoundationCheckpoint.open(dir);
        int index = select(checkpoint, key);
        NDManager manager = NDManager.newBaseManager();
        try {
            return new FoundationPolicy(checkpoint, index, manager, checkpoint.network(manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    static int select(FoundationCheckpoint checkpoint, Optional<String> key) {
        List<FoundationEmbodiment> all = checkpoint.embodiments();
        List<String> names = all.stream().map(FoundationEmbodiment::name).toList();
        if (key.isEmpty()) {
            if (all.size() == 1) {
                return 0;
            }
            throw new KibanException(checkpoint.root() + ": the foundation policy serves " + all.size() + " embodiments "
                    + names + "; choose one with --embodiment NAME");
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).answersTo(key.get())) {
                return i;
            }
        }
        throw new UnknownNameException("embodiment of " + checkpoint.root(), key.get(), names);
    }

    /** The embodiment this policy serves. */
    public FoundationEmbodiment embodiment() {
        return embodiment;
    }

    @Override
    public String embodimentName() {
        return embodiment.name();
    }

    @Override
    public List<String> instructions() {
        return embodiment.trainedOn();
    }

    /** Every embodiment of the checkpoint. */
    public List<FoundationEmbodiment> embodiments() {
        return checkpoint.embodiments();
    }

    @Override
    public PolicyMetadata metadata() {
        return embodiment.metadata();
    }

    @Override
    public double[][] infer(double[][] history) {
        return infer(PolicyObservation.of(history));
    }

    @Override
    public double[][] infer(PolicyObservation[] history) {
        return inferBatch(new PolicyObservation[][] {history})[0];
    }

    @Override
    public double[][][] inferBatch(double[][][] histories) {
        PolicyObservation[][] frames = new PolicyObservation[histories.length][];
        for (int b = 0; b < frames.length; b++) {
            frames[b] = PolicyObservation.of(histories[b]);
        }
        return inferBatch(frames);
    }

    /** All the histories in one forward pass. */
    @Override
    public double[][][] inferBatch(PolicyObservation[][] histories) {
        float[] rows = encode(histories);
        float[] chunks;
        IntraOpThreads.use(histories.length);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray obs = scratch.create(rows, new Shape(histories.length, net.dims().observationInputs()));
            chunks = net.predict(store, obs).toFloatArray();
        }
        return decode(chunks, histories.length);
    }

    @Override
    public boolean continuesChunks() {
        return true;
    }

    @Override
    public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen) {
        return inferContinuing(history, frozen, new double[0][]);
    }

    /** As above, the rows after the frozen ones guided toward {@code following} with RTC's soft mask. */
    @Override
    public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen, double[][] following) {
        int horizon = metadata().horizon();
        float[] target = codec.encodeGuidingRows(frozen, following, horizon);
        GuidanceWeights guidance = GuidanceWeights.continuing(horizon, codec.actionDim(), frozen.length, following.length);
        float[] rows = encode(new PolicyObservation[][] {history});
        float[] chunk;
        IntraOpThreads.use(1);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray obs = scratch.create(rows, new Shape(1, net.dims().observationInputs()));
            NDArray fixed = scratch.create(target, new Shape(1, target.length));
            chunk = net.predictContinuing(store, obs, fixed, guidance).toFloatArray();
        }
        return decode(chunk, 1)[0];
    }

    /** Padded network rows for {@code histories}, as {@link Mixture#pad} lays out training rows. */
    private float[] encode(PolicyObservation[][] histories) {
        FoundationDims dims = net.dims();
        int steps = dims.observationSteps();
        int width = dims.observationInputs();
        int maxState = dims.maxStateDim();
        float[] rows = new float[histories.length * width];
        float[] state = new float[codec.encodedObservationDim()];
        for (int b = 0; b < histories.length; b++) {
            PolicyObservation[] history = histories[b];
            if (history.length != steps) {
                throw new KibanException("policy needs " + steps + " observations, got " + history.length);
            }
            int row = b * width;
            rows[row] = index;
            for (int k = 0; k < steps; k++) {
                if (history[k].state().length != metadata().observationDim()) {
                    throw new KibanException("observation " + k + " has " + history[k].state().length + " values; the "
                            + embodiment.name() + " embodiment's have " + metadata().observationDim());
                }
                codec.encodeObservation(history[k].state(), state, 0);
                System.arraycopy(state, 0, rows, row + 1 + k * maxState, state.length);
            }
            float[] ids = tokens.encode(history[steps - 1].instruction());
            System.arraycopy(ids, 0, rows, row + 1 + steps * maxState, ids.length);
        }
        return rows;
    }

    private double[][][] decode(float[] chunks, int batch) {
        return codec.decodeChunks(chunks, batch, metadata().horizon());
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
