package kiban.health.rul;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import kiban.core.error.KibanException;
import kiban.core.io.AtomicFiles;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.health.cmapss.EngineUnit;
import kiban.policy.data.Batch;
import kiban.policy.nn.IntraOpThreads;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.Checkpoints;
import kiban.policy.train.MetricsLog;
import kiban.policy.train.PolicyTrainer;
import kiban.policy.train.Schedule;
import kiban.policy.train.StepRate;
import kiban.policy.train.TrainStep;

/**
 * Trains a RUL network on run-to-failure units: holds out {@link RulConfig#validationUnits()}
 * units, fits the features on the rest, trains with AdamW on a cosine schedule with one epoch of
 * warm-up, and after each epoch measures the EMA weights' RMSE on the held-out units (at
 * {@link RulConfig#validationTruncations()} truncation points per unit, or every window); the best
 * epoch's weights are the model, and training stops after {@link RulConfig#patience()} epochs
 * without a better one. With no units held out it trains every epoch and keeps the last.
 */
public final class RulTrainer {

    /** What a finished run reports. */
    public record Result(int epochs, int bestEpoch, double validationRmse, double everyWindowRmse, long steps, double seconds,
            double stepsPerSecond, int trainingUnits, int validationUnits, List<String> features) {}

    private final RulConfig config;
    private final RulRun run;

    public RulTrainer(RulConfig config, Path out) {
        this.config = config;
        this.run = new RulRun(out);
    }

    /** The units held out for validation, by unit number, drawn with the config's split seed. */
    public static List<Integer> heldOut(List<EngineUnit> units, RulConfig config) {
        List<Integer> numbers = new ArrayList<>(units.stream().map(EngineUnit::unit).toList());
        Collections.shuffle(numbers, new Random(config.splitSeed()));
        List<Integer> held = new ArrayList<>(numbers.subList(0, Math.min(config.validationUnits(), numbers.size() - 1)));
        Collections.sort(held);
        return held;
    }

    /** The split, the features fitted on the training part, and both parts' windows (null: nothing held out). */
    public record Prepared(List<Integer> heldOut, List<EngineUnit> training, List<EngineUnit> validation,
            RulFeatures features, RulWindows train, RulWindows valid) {}

    /** Splits {@code units}, fits the features on the training part and cuts both parts into windows. */
    public static Prepared prepare(List<EngineUnit> units, RulConfig config) {
        List<Integer> held = heldOut(units, config);
        List<EngineUnit> training = units.stream().filter(u -> !held.contains(u.unit())).toList();
        List<EngineUnit> validation = units.stream().filter(u -> held.contains(u.unit())).toList();
        RulFeatures features = RulFeatures.fit(training, config.baselineCycles(), config.cycleFeature());
        RulWindows train = RulWindows.training(training, training.stream().map(features::apply).toList(),
                config.window(), config.cap());
        RulWindows valid = validation.isEmpty() ? null : RulWindows.training(validation,
                validation.stream().map(features::apply).toList(), config.window(), config.cap());
        return new Prepared(held, training, validation, features, train, valid);
    }

    public Result train(List<EngineUnit> units, Path trainFile, String subset, boolean showProgress) throws IOException {
        Prepared prepared = prepare(units, config);
        List<Integer> held = prepared.heldOut();
        List<EngineUnit> training = prepared.training();
        List<EngineUnit> validation = prepared.validation();
        RulFeatures features = prepared.features();
        RulWindows train = prepared.train();
        RulWindows valid = prepared.valid();
        int[] points = valid == null ? null : config.validationTruncations() > 0
                ? RulWindows.truncations(validation, config.window(), config.validationTruncations())
                : everyWindow(valid.count());

        Files.createDirectories(run.root());
        RunDirectory.writeAtomically(run.config(), Json.pretty(config.toJson()));
        RunDirectory.writeAtomically(run.features(), Json.pretty(features.toJson()));
        var data = Json.object().put("train", trainFile.toAbsolutePath().normalize().toString()).put("subset", subset);
        held.forEach(data.putArray("validation_units")::add);
        RunDirectory.writeAtomically(run.data(), Json.pretty(data));

        Engine.getInstance().setRandomSeed((int) (config.seed() ^ (config.seed() >>> 32)));
        RulNetwork net = new RulNetwork(config, features.size());
        TrainConfig stepConfig = TrainConfig.defaults().with(t -> t.put("weight_decay", config.weightDecay())
                .put("ema_max_decay", config.emaMaxDecay()).put("grad_clip_norm", 1.0).put("seed", config.seed()));
        int perEpoch = (train.count() + config.batch() - 1) / config.batch();
        long total = (long) perEpoch * config.epochs();
        Schedule schedule = new Schedule(config.learningRate(), perEpoch, total, 0.05);
        Random shuffle = new Random(config.seed() * 1_000_003L + 17);
        float[] ones = new float[config.batch()];
        Arrays.fill(ones, 1f);
        double best = Double.POSITIVE_INFINITY;
        double bestEveryWindow = Double.NaN;
        double bestMeanError = Double.NaN;
        int bestEpoch = 0;
        int epoch = 0;
        long step = 0;
        StepRate rate = new StepRate();
        try (TrainStep trainer = new TrainStep(net, stepConfig, net.inputs(), 1);
                MetricsLog metrics = MetricsLog.create(run.directory());
                Progress progress = Progress.start("train " + config.model().id(), "steps", total, showProgress)) {
            trainer.start();
            progress.begin(0);
            int[] order = new int[train.count()];
            Arrays.setAll(order, i -> i);
            while (epoch < config.epochs() && epoch - bestEpoch < config.patience()) {
                permute(order, shuffle);
                double lossSum = 0;
                double lr = 0;
                TrainStep.Stats stats = null;
                for (int from = 0; from < order.length; from += config.batch()) {
                    int to = Math.min(order.length, from + config.batch());
                    float[] targets = train.targets(order, from, to);
                    for (int i = 0; i < targets.length; i++) {
                        targets[i] /= config.cap();
                    }
                    lr = schedule.at(step);
                    stats = trainer.run(new Batch(to - from, train.inputs(order, from, to), targets,
                            Arrays.copyOf(ones, to - from)), lr, step);
                    StepRate.requireFinite(stats.loss(), step, lr);
                    lossSum += stats.loss() * (to - from);
                    step++;
                    rate.step(false);
                    progress.step(1);
                }
                epoch++;
                double loss = lossSum / order.length;
                double[] predicted = valid == null ? null : predictWithEma(trainer, net, valid, config.cap());
                double validationRmse = valid == null ? Double.NaN : rmse(predicted, valid.targets(), points);
                boolean better = valid == null || validationRmse < best;
                if (better) {
                    best = validationRmse;
                    bestEveryWindow = valid == null ? Double.NaN : rmse(predicted, valid.targets());
                    bestMeanError = valid == null ? Double.NaN : meanError(predicted, valid.targets(), points);
                    bestEpoch = epoch;
                    saveModel(trainer.ema().weights());
                }
                metrics.log(step, loss, lr, stats.gradNorm(), rate.step(true), validationRmse, valid != null);
                progress.status(valid == null ? String.format(java.util.Locale.ROOT, "epoch %d  loss %.4f", epoch, loss)
                        : String.format(java.util.Locale.ROOT, "epoch %d  loss %.4f  val rmse %.2f (best %.2f @%d)", epoch,
                                loss, validationRmse, best, bestEpoch));
                Checkpoints.save(run.directory(), trainer.block(), trainer.optimizer(), trainer.ema(), step, loss);
            }
            Result result = new Result(epoch, bestEpoch, best, bestEveryWindow, step, progress.seconds(), rate.mean(), training.size(),
                    validation.size(), features.names());
            var summary = Json.object().put("epochs", epoch).put("best_epoch", bestEpoch).put("steps", step).put("seconds", result.seconds())
                    .put("steps_per_second", result.stepsPerSecond()).put("training_units", training.size())
                    .put("validation_units", validation.size()).put("training_windows", train.count());
            if (valid != null) {
                summary.put("validation_rmse", best).put("validation_rmse_every_window", bestEveryWindow)
                        .put("validation_mean_error", bestMeanError);
            } else {
                summary.putNull("validation_rmse").putNull("validation_rmse_every_window").putNull("validation_mean_error");
            }
            features.names().forEach(summary.putArray("features")::add);
            RunDirectory.writeAtomically(run.summary(), Json.pretty(summary));
            return result;
        }
    }

    private static void permute(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private void saveModel(NDList weights) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            weights.encode(bytes);
        } catch (IOException e) {
            throw new KibanException("cannot encode the model's weights: " + e.getMessage(), e);
        }
        AtomicFiles.replace(run.model().toAbsolutePath(), run.root().toAbsolutePath(), tmp -> {
            try {
                Files.write(tmp, bytes.toByteArray());
            } catch (IOException e) {
                throw new KibanException("cannot write " + run.model() + ": " + e.getMessage(), e);
            }
        });
    }

    private static double[] predictWithEma(TrainStep trainer, RulNetwork net, RulWindows windows, int cap) {
        NDManager root = trainer.manager();
        NDList live = PolicyTrainer.swapIn(trainer.block(), root, trainer.ema().weights());
        try {
            return predict(net, root, windows, cap);
        } finally {
            PolicyTrainer.swapIn(trainer.block(), root, live).close();
            live.close();
        }
    }

    /** Predictions in cycles, clipped to [0, cap], for every window. */
    static double[] predict(RulNetwork net, NDManager root, RulWindows windows, int cap) {
        ParameterStore store = new ParameterStore(root, false);
        double[] out = new double[windows.count()];
        int[] order = new int[windows.count()];
        Arrays.setAll(order, i -> i);
        int batch = 1024;
        for (int from = 0; from < order.length; from += batch) {
            int to = Math.min(order.length, from + batch);
            IntraOpThreads.use(to - from);
            try (NDManager scratch = root.newSubManager()) {
                NDArray x = scratch.create(windows.inputs(order, from, to), new Shape(to - from, net.inputs()));
                float[] y = net.predict(store, x).toFloatArray();
                for (int i = 0; i < y.length; i++) {
                    out[from + i] = Math.max(0, Math.min(cap, y[i] * cap));
                }
            }
        }
        return out;
    }

    private static int[] everyWindow(int count) {
        int[] all = new int[count];
        Arrays.setAll(all, i -> i);
        return all;
    }

    /** The RMSE over the windows at {@code points}. */
    static double rmse(double[] predicted, float[] truth, int[] points) {
        double sq = 0;
        for (int i : points) {
            double d = predicted[i] - truth[i];
            sq += d * d;
        }
        return Math.sqrt(sq / points.length);
    }

    /** The mean of predicted minus true at {@code points}: positive when the model predicts late. */
    static double meanError(double[] predicted, float[] truth, int[] points) {
        double sum = 0;
        for (int i : points) {
            sum += predicted[i] - truth[i];
        }
        return sum / points.length;
    }

    static double rmse(double[] predicted, float[] truth) {
        double sq = 0;
        for (int i = 0; i < predicted.length; i++) {
            double d = predicted[i] - truth[i];
            sq += d * d;
        }
        return Math.sqrt(sq / predicted.length);
    }
}
