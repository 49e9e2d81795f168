package kiban.health.failures;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import kiban.policy.train.AdamW;
import kiban.policy.train.Schedule;

/**
 * The network: Kiban's MLP (linear, layer norm and GELU per hidden width) with a logit per class,
 * trained with softmax cross-entropy by kiban-policy's AdamW and schedule. The data sets are small
 * (at most 164 failures), so every epoch is one full-batch step.
 */
public record MlpLearner(MlpSettings settings) implements Learner {

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public MlpClassifier fit(double[][] x, int[] y, int classes, long seed) {
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        MlpClassifier model = MlpClassifier.create(settings, x[0].length, classes);
        try {
            train(model, x, y, classes);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private void train(MlpClassifier model, double[][] x, int[] y, int classes) {
        NDManager root = model.manager();
        PairList<String, Parameter> params = model.block().getParameters();
        params.forEach(p -> p.getValue().getArray().setRequiresGradient(true));
        ParameterStore store = new ParameterStore(root, false);
        Schedule schedule = new Schedule(settings.learningRate(), settings.warmupEpochs(), settings.epochs(), 0.1);
        float[] flat = MlpClassifier.flatten(x);
        float[] oneHot = new float[y.length * classes];
        for (int i = 0; i < y.length; i++) {
            oneHot[i * classes + y[i]] = 1f;
        }
        try (AdamW optimizer = new AdamW(root, 0.9, 0.999, 1e-8, settings.weightDecay())) {
            for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                try (NDManager step = root.newSubManager()) {
                    NDArray input = step.create(flat, new ai.djl.ndarray.types.Shape(x.length, x[0].length));
                    NDArray target = step.create(oneHot, new ai.djl.ndarray.types.Shape(y.length, classes));
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.block().forward(store, new NDList(input), true).singletonOrThrow();
                        NDArray loss = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
                        collector.backward(loss);
                    }
                    optimizer.update(params, schedule.at(epoch));
                }
            }
        }
    }
}
