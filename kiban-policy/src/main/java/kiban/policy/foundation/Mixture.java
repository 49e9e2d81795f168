package kiban.policy.foundation;

import java.util.List;
import java.util.SplittableRandom;
import kiban.policy.data.Batch;
import kiban.policy.data.ChunkWindows;

/**
 * The training windows of every dataset of a mixture, and which dataset each step draws from: with
 * probability proportional to its weight, from a generator seeded by the run's seed and the step,
 * so that a resumed run draws the same sequence. Batches come out in the padded layout of
 * {@link FoundationNetwork}.
 */
final class Mixture implements AutoCloseable {

    /** One dataset's windows, its embodiment's index and its weight. */
    record Part(int embodiment, ChunkWindows windows, double weight) {}

    private final List<Part> parts;
    private final FoundationDims dims;
    private final long seed;
    private final double total;

    Mixture(List<Part> parts, FoundationDims dims, long seed) {
        this.parts = List.copyOf(parts);
        this.dims = dims;
        this.seed = seed;
        this.total = parts.stream().mapToDouble(Part::weight).sum();
    }

    /** The part step {@code step} draws from. */
    int partAt(long step) {
        double u = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step).nextDouble() * total;
        for (int i = 0; i < parts.size(); i++) {
            u -= parts.get(i).weight();
            if (u < 0) {
                return i;
            }
        }
        return parts.size() - 1;
    }

    /** Moves every part's data order on as the first {@code steps} steps of {@code batch} took it. */
    void skip(long steps, int batch) {
        long[] drawn = new long[parts.size()];
        for (long s = 0; s < steps; s++) {
            drawn[partAt(s)]++;
        }
        for (int i = 0; i < drawn.length; i++) {
            parts.get(i).windows().skip(drawn[i] * batch);
        }
    }

    /** The batch of step {@code step}. */
    Batch next(long step, int batch) {
        Part p = parts.get(partAt(step));
        return pad(p.embodiment(), p.windows().next(batch), dims);
    }

    /**
     * Lays a batch of one embodiment's rows out as the network's padded rows: the embodiment's
     * index, each observation step's states padded to the largest state, the frames padded to the
     * most frames, the token ids; each chunk row's actions padded to the largest action, the padding
     * masked out. One width for every embodiment keeps one training step for all of them; where only
     * some embodiments have cameras, the others' rows carry zeros in the frames' place.
     */
    static Batch pad(int embodiment, Batch b, FoundationDims dims) {
        FoundationDims.Sizes s = dims.embodiments().get(embodiment);
        int k = dims.observationSteps();
        int tokens = dims.tokens().maxTokens();
        int frames = k * s.frameElements();
        int rowIn = k * s.stateDim() + frames + tokens;
        int rowOut = dims.observationInputs();
        int maxState = dims.maxStateDim();
        // Computed from the embodiments on each call: once a batch, not once a row.
        int framesAt = dims.framesAt();
        int tokensAt = dims.tokensAt();
        float[] obs = new float[b.size() * rowOut];
        for (int r = 0; r < b.size(); r++) {
            int from = r * rowIn;
            int to = r * rowOut;
            obs[to] = embodiment;
            for (int step = 0; step < k; step++) {
                System.arraycopy(b.observations(), from + step * s.stateDim(), obs, to + 1 + step * maxState, s.stateDim());
            }
            // ChunkWindows lays each camera's frames after the states, as the padded row keeps them.
            System.arraycopy(b.observations(), from + k * s.stateDim(), obs, to + framesAt, frames);
            System.arraycopy(b.observations(), from + k * s.stateDim() + frames, obs, to + tokensAt, tokens);
        }
        int a = s.actionDim();
        int maxAction = dims.maxActionDim();
        int rows = b.size() * dims.horizon();
        float[] act = new float[rows * maxAction];
        float[] mask = new float[rows * maxAction];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b.actions(), r * a, act, r * maxAction, a);
            System.arraycopy(b.mask(), r * a, mask, r * maxAction, a);
        }
        return new Batch(b.size(), obs, act, mask);
    }

    @Override
    public void close() {
        parts.forEach(p -> p.windows().close());
    }
}
