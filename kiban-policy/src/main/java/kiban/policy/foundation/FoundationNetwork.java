package kiban.policy.foundation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import kiban.policy.model.FlowSampling;
import kiban.policy.model.GuidanceWeights;
import kiban.policy.model.Losses;
import kiban.policy.model.PolicyNetwork;

/**
 * The foundation policy as a trainable network: flow matching over action chunks (pi0's action
 * expert) through a {@link FoundationTransformer}. Training rows of every embodiment travel in one
 * padded layout, so that one {@link kiban.policy.train.TrainStep} trains them all: a row is
 * {@code [embodiment index, observationSteps x maxStateDim encoded states (each step zero-padded),
 * frames (each camera's observation steps in turn, CHW values in [0, 1]; zero-padded to the most
 * any embodiment has, none where no embodiment has a camera), maxTokens token ids]}, a chunk is
 * {@code horizon x maxActionDim} (each row zero-padded, masked out).
 * The network reads each embodiment's own elements from the padding and never sees the rest.
 */
final class FoundationNetwork implements PolicyNetwork {

    static final String TYPE = "foundation";

    private final FoundationTransformer block;
    private final FoundationDims dims;
    private final int flowSteps;

    FoundationNetwork(FoundationDims dims, int flowSteps) {
        this.dims = dims;
        this.flowSteps = flowSteps;
        this.block = new FoundationTransformer(dims);
    }

    FoundationDims dims() {
        return dims;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Block block() {
        return block;
    }

    @Override
    public Shape inputShape() {
        return new Shape(1, dims.observationInputs());
    }

    @Override
    public NDArray loss(ParameterStore parameters, NDArray observations, NDArray actions, NDArray mask) {
        int e = embodiment(observations);
        FoundationDims.Sizes s = dims.embodiments().get(e);
        NDArray target = unpadActions(actions, s);
        NDArray real = unpadActions(mask, s);
        NDManager m = actions.getManager();
        long batch = target.getShape().get(0);
        NDArray noise = m.randomNormal(target.getShape());
        NDArray t = m.randomUniform(0f, 1f, new Shape(batch, 1));
        NDArray xt = noise.mul(t.neg().add(1f)).add(target.mul(t));
        NDArray context = context(parameters, e, observations, true);
        NDArray v = block.velocity(parameters, e, context, xt, t, true);
        return Losses.maskedMse(v, target.sub(noise), real);
    }

    /** Normalised chunks {@code (B, horizon * actionDim)} of the rows' embodiment, its own size, unpadded. */
    @Override
    public NDArray predict(ParameterStore parameters, NDArray observations) {
        return predictContinuing(parameters, observations, null, 0);
    }

    /**
     * As {@link #predict}, with each chunk's first {@code frozenOutputs} outputs inpainted to
     * {@code frozen} (laid out as the unpadded chunk): real-time chunking ({@link FlowSampling#sample}).
     */
    NDArray predictContinuing(ParameterStore parameters, NDArray observations, NDArray frozen, int frozenOutputs) {
        int e = embodiment(observations);
        return predictContinuing(parameters, observations, frozen,
                GuidanceWeights.hard(dims.horizon() * dims.embodiments().get(e).actionDim(), frozenOutputs));
    }

    /** As above, every output pulled toward {@code target} as {@code guidance} weighs it (RTC's soft mask). */
    NDArray predictContinuing(ParameterStore parameters, NDArray observations, NDArray target, GuidanceWeights guidance) {
        int e = embodiment(observations);
        FoundationDims.Sizes s = dims.embodiments().get(e);
        NDArray context = context(parameters, e, observations, false);
        return FlowSampling.sample(observations.getManager(), observations.getShape().get(0),
                dims.horizon() * s.actionDim(), flowSteps, 1f,
                (x, t) -> block.velocity(parameters, e, context, x, t, false), target, guidance);
    }

    /** The velocity at noisy chunks {@code x} and flow times {@code t} for padded rows of one embodiment, not training. */
    NDArray velocity(ParameterStore parameters, NDArray observations, NDArray x, NDArray t) {
        int e = embodiment(observations);
        return block.velocity(parameters, e, context(parameters, e, observations, false), x, t, false);
    }

    /** The context tokens of padded rows of embodiment {@code e}: its states, frames and instruction read from the padding. */
    private NDArray context(ParameterStore parameters, int e, NDArray observations, boolean training) {
        FoundationDims.Sizes s = dims.embodiments().get(e);
        return block.context(parameters, e, states(observations, s), tokens(observations), frames(observations, s), training);
    }

    /** The embodiment of a batch, from its first row: a batch is one embodiment's. */
    private int embodiment(NDArray observations) {
        int e = Math.round(observations.get(0, 0).getFloat());
        if (e < 0 || e >= dims.embodiments().size()) {
            throw new IllegalArgumentException("embodiment index " + e + " of " + dims.embodiments().size());
        }
        return e;
    }

    private NDArray states(NDArray rows, FoundationDims.Sizes s) {
        long b = rows.getShape().get(0);
        int k = dims.observationSteps();
        int max = dims.maxStateDim();
        NDArray padded = rows.get(new NDIndex(":, 1:{}", 1 + k * max)).reshape(b, k, max);
        return padded.get(new NDIndex(":, :, 0:{}", s.stateDim())).reshape(b, (long) k * s.stateDim());
    }

    private NDArray tokens(NDArray rows) {
        return rows.get(new NDIndex(":, {}:", dims.tokensAt()));
    }

    /** The frames of an embodiment's rows, unpadded; null for one without cameras. */
    private NDArray frames(NDArray rows, FoundationDims.Sizes s) {
        if (s.cameras().isEmpty()) {
            return null;
        }
        int at = dims.framesAt();
        return rows.get(new NDIndex(":, {}:{}", at, at + dims.observationSteps() * s.frameElements()));
    }

    private NDArray unpadActions(NDArray chunks, FoundationDims.Sizes s) {
        long b = chunks.getShape().get(0);
        return chunks.reshape(b, dims.horizon(), dims.maxActionDim()).get(new NDIndex(":, :, 0:{}", s.actionDim()))
                .reshape(b, (long) dims.horizon() * s.actionDim());
    }
}
