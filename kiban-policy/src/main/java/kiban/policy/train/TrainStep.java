package kiban.policy.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import kiban.policy.data.Batch;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.TrainConfig;

/**
 * One optimisation step of a policy network, and the state it carries between steps: weights,
 * AdamW moments and EMA weights. The trainer and the training benchmark share it, so the
 * benchmark times exactly what training runs.
 */
public final class TrainStep implements AutoCloseable {

    /** The figures of one step. */
    public record Stats(double loss, double gradNorm) {}

    private final PolicyNetwork net;
    private final TrainConfig config;
    private final int observationInputs;
    private final int chunkOutputs;
    private final NDManager root;
    private final AdamW optimizer;
    private final Ema ema;
    private final PairList<String, Parameter> params;
    private ParameterStore store;
    private FlatParameters flat;

    public TrainStep(PolicyNetwork net, TrainConfig config, int observationInputs, int chunkOutputs) {
        this(net, config, observationInputs, chunkOutputs, name -> true);
    }

    /**
     * A step that trains only the parameters whose names {@code trainable} accepts; the rest keep
     * their values (no gradient, no optimiser state, no EMA), as fine-tuning with a frozen trunk does.
     */
    public TrainStep(PolicyNetwork net, TrainConfig config, int observationInputs, int chunkOutputs,
            java.util.function.Predicate<String> trainable) {
        this.net = net;
        this.config = config;
        this.observationInputs = observationInputs;
        this.chunkOutputs = chunkOutputs;
        NativeHeap.keepFreedMemory();
        this.root = NDManager.newBaseManager();
        this.optimizer = new AdamW(root, 0.9, 0.999, 1e-8, config.weightDecay());
        this.ema = new Ema(root, config.emaPower(), config.emaMaxDecay());
        net.block().initialize(root, DataType.FLOAT32, net.inputShape());
        this.params = new PairList<>();
        net.block().getParameters().forEach(p -> {
            if (trainable.test(p.getKey())) {
                params.add(p);
            } else {
                p.getValue().getArray().setRequiresGradient(false);
            }
        });
        if (params.isEmpty()) {
            throw new IllegalArgumentException("no parameter of the " + net.type() + " network is trained");
        }
    }

    public NDManager manager() {
        return root;
    }

    public Block block() {
        return net.block();
    }

    public PolicyNetwork network() {
        return net;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public Ema ema() {
        return ema;
    }

    /**
     * Call once the weights, optimiser and EMA state are final (initialised or restored), before
     * the first {@link #run}: lays the weights and that state out in flat buffers.
     */
    public void start() {
        flat = new FlatParameters(params, root);
        optimizer.bind(flat);
        ema.bind(flat);
        params.forEach(p -> p.getValue().getArray().setRequiresGradient(true));
        defineGradients();
        store = new ParameterStore(root, false);
    }

    /**
     * PyTorch creates a parameter's gradient at the first backward pass that reaches it, and the flat
     * gradient views are taken at the first step; a network whose batches each use part of it (the
     * foundation policy's heads, one embodiment a batch) would leave the rest without one then, and
     * never see their later gradients. A backward pass through every parameter times zero creates
     * them all, as zeros.
     */
    private void defineGradients() {
        try (NDManager scratch = root.newSubManager(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray touch = null;
            for (var p : params) {
                NDArray term = p.getValue().getArray().sum().mul(scratch.create(0f));
                touch = touch == null ? term : touch.add(term);
            }
            collector.backward(touch);
        }
    }

    /** Forward, backward, clipping, AdamW and EMA on one batch; {@code step} counts from 0. */
    public Stats run(Batch batch, double learningRate, long step) {
        double loss;
        double gradNorm;
        IntraOpThreads.use(batch.size());
        try (NDManager scratch = root.newSubManager()) {
            NDArray obs = scratch.create(batch.observations(), new Shape(batch.size(), observationInputs));
            NDArray act = scratch.create(batch.actions(), new Shape(batch.size(), chunkOutputs));
            NDArray mask = scratch.create(batch.mask(), new Shape(batch.size(), chunkOutputs));
            NDArray lossArray;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                lossArray = net.loss(store, obs, act, mask);
                collector.backward(lossArray);
            }
            loss = lossArray.toFloatArray()[0];
            NDArray gradients = flat.gatherGradients(scratch);
            gradNorm = Gradients.globalNorm(gradients);
            optimizer.update(gradients, learningRate, Gradients.clipScale(gradNorm, config.gradClipNorm()));
            flat.zeroGradients();
        }
        ema.update(step);
        return new Stats(loss, gradNorm);
    }

    @Override
    public void close() {
        optimizer.close();
        ema.close();
        root.close();
    }
}
