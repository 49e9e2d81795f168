package kiban.policy.foundation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import kiban.core.error.KibanException;
import kiban.core.error.UnknownNameException;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.policy.data.FeatureCodec;
import kiban.policy.data.ImagePixels;
import kiban.policy.data.InstructionTokens;
import kiban.policy.model.GuidanceWeights;
import kiban.policy.model.Networks;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.OneOfSeveralEmbodiments;

/**
 * A foundation checkpoint answering for its embodiments: each history for the one its newest
 * observation names ({@link PolicyObservation#embodiment()}, the embodiment's name or its
 * simulator's), or for the one chosen when it was loaded where it names none; observations and
 * actions in that embodiment's units. {@link #metadata()} is the chosen one's. The newest
 * observation's instruction is read as word tokens (an observation without one reads as no words,
 * which training saw only for datasets without tasks). A batch runs one forward pass per
 * embodiment in it. Chunks are sampled by flow matching, so it continues chunks for real-time chunking.
 */
public final class FoundationPolicy implements Policy, OneOfSeveralEmbodiments {

    private final FoundationCheckpoint checkpoint;
    private final FoundationEmbodiment embodiment;
    private final int index;
    /** Each embodiment's codec, by index: a server encodes and decodes on every request. */
    private final List<FeatureCodec> codecs;
    private final NDManager manager;
    private final FoundationNetwork net;
    private final ParameterStore store;
    private final InstructionTokens tokens;
    /** Whether closing this releases the network: false for a view ({@link #answeringFor}). */
    private final boolean ownsNetwork;

    private FoundationPolicy(FoundationCheckpoint checkpoint, int index, NDManager manager, FoundationNetwork net) {
        this.checkpoint = checkpoint;
        this.index = index;
        this.embodiment = checkpoint.embodiments().get(index);
        this.codecs = checkpoint.embodiments().stream().map(FoundationEmbodiment::codec).toList();
        this.manager = manager;
        this.net = net;
        this.store = new ParameterStore(manager, false);
        this.tokens = checkpoint.config().tokens();
        this.ownsNetwork = true;
    }

    private FoundationPolicy(FoundationPolicy shared, int index) {
        this.checkpoint = shared.checkpoint;
        this.index = index;
        this.embodiment = checkpoint.embodiments().get(index);
        this.codecs = shared.codecs;
        this.manager = shared.manager;
        this.net = shared.net;
        this.store = shared.store;
        this.tokens = shared.tokens;
        this.ownsNetwork = false;
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
    public FoundationPolicy answeringFor(String key) {
        return new FoundationPolicy(this, select(checkpoint, Optional.of(key)));
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

    /** All the histories, one forward pass for each embodiment among them. */
    @Override
    public double[][][] inferBatch(PolicyObservation[][] histories) {
        int[] of = new int[histories.length];
        BitSet present = new BitSet();
        for (int b = 0; b < histories.length; b++) {
            of[b] = embodimentOf(histories[b]);
            present.set(of[b]);
        }
        if (present.cardinality() == 1) { // a server's batches are one embodiment's: no regrouping on the hot path
            return inferOneEmbodiment(present.nextSetBit(0), histories);
        }
        double[][][] out = new double[histories.length][][];
        for (int e = present.nextSetBit(0); e >= 0; e = present.nextSetBit(e + 1)) {
            int[] rows = rowsOf(of, e);
            PolicyObservation[][] group = new PolicyObservation[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                group[i] = histories[rows[i]];
            }
            double[][][] chunks = inferOneEmbodiment(e, group);
            for (int i = 0; i < rows.length; i++) {
                out[rows[i]] = chunks[i];
            }
        }
        return out;
    }

    private static int[] rowsOf(int[] of, int embodiment) {
        return IntStream.range(0, of.length).filter(b -> of[b] == embodiment).toArray();
    }

    private double[][][] inferOneEmbodiment(int e, PolicyObservation[][] histories) {
        float[] rows = encode(e, histories);
        float[] chunks;
        IntraOpThreads.use(histories.length);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray obs = scratch.create(rows, new Shape(histories.length, net.dims().observationInputs()));
            chunks = net.predict(store, obs).toFloatArray();
        }
        return codecs.get(e).decodeChunks(chunks, histories.length, net.dims().horizon());
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
        int e = embodimentOf(history);
        FeatureCodec codec = codecs.get(e);
        int horizon = net.dims().horizon();
        float[] target = codec.encodeGuidingRows(frozen, following, horizon);
        GuidanceWeights guidance = GuidanceWeights.continuing(horizon, codec.actionDim(), frozen.length, following.length);
        float[] rows = encode(e, new PolicyObservation[][] {history});
        float[] chunk;
        IntraOpThreads.use(1);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray obs = scratch.create(rows, new Shape(1, net.dims().observationInputs()));
            NDArray fixed = scratch.create(target, new Shape(1, target.length));
            chunk = net.predictContinuing(store, obs, fixed, guidance).toFloatArray();
        }
        return codec.decodeChunks(chunk, 1, horizon)[0];
    }

    /** The index of the embodiment {@code history}'s newest observation names; the chosen one's where it names none. */
    private int embodimentOf(PolicyObservation[] history) {
        String key = history.length == 0 ? "" : history[history.length - 1].embodiment();
        if (key.isEmpty() || embodiment.answersTo(key)) {
            return index;
        }
        return select(checkpoint, Optional.of(key));
    }

    /** Padded network rows of embodiment {@code e} for {@code histories}, as {@link Mixture#pad} lays out training rows. */
    private float[] encode(int e, PolicyObservation[][] histories) {
        FoundationDims dims = net.dims();
        FoundationEmbodiment target = checkpoint.embodiments().get(e);
        FeatureCodec codec = codecs.get(e);
        int steps = dims.observationSteps();
        int width = dims.observationInputs();
        int maxState = dims.maxStateDim();
        int framesAt = dims.framesAt();
        int tokensAt = dims.tokensAt();
        int stateDim = target.metadata().observationDim();
        float[] rows = new float[histories.length * width];
        float[] state = new float[codec.encodedObservationDim()];
        for (int b = 0; b < histories.length; b++) {
            PolicyObservation[] history = histories[b];
            if (history.length != steps) {
                throw new KibanException("policy needs " + steps + " observations, got " + history.length);
            }
            int row = b * width;
            rows[row] = e;
            for (int k = 0; k < steps; k++) {
                if (history[k].state().length != stateDim) {
                    throw new KibanException("observation " + k + " has " + history[k].state().length + " values; the "
                            + target.name() + " embodiment's have " + stateDim);
                }
                codec.encodeObservation(history[k].state(), state, 0);
                System.arraycopy(state, 0, rows, row + 1 + k * maxState, state.length);
            }
            // Each camera's frames in turn, as ChunkWindows lays them out for training.
            int at = row + framesAt;
            for (ImageSpec camera : target.metadata().images()) {
                for (int k = 0; k < steps; k++) {
                    ImagePixels.toChw(ImagePixels.frame(history[k], camera), camera, rows, at);
                    at += camera.bytes();
                }
            }
            float[] ids = tokens.encode(history[steps - 1].instruction());
            System.arraycopy(ids, 0, rows, row + tokensAt, ids.length);
        }
        return rows;
    }

    @Override
    public void seed(long seed) {
        Networks.seedSampling(seed);
    }

    @Override
    public void close() {
        if (ownsNetwork) {
            manager.close();
        }
    }
}
