package kiban.policy.foundation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import kiban.core.error.KibanException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.card.ModelCards;
import kiban.policy.data.Batch;
import kiban.policy.data.ChunkWindows;
import kiban.policy.data.DeltaTargets;
import kiban.policy.data.TrainingData;
import kiban.policy.model.Networks;
import kiban.policy.run.RunDirectory;
import kiban.policy.train.Checkpoints;
import kiban.policy.train.MetricsLog;
import kiban.policy.train.PolicyTrainer;
import kiban.policy.train.Schedule;
import kiban.policy.train.StepRate;
import kiban.policy.train.TrainStep;

/**
 * Trains a foundation policy on a weighted mixture of datasets into a run folder, from scratch
 * (pretraining) or from another foundation checkpoint (fine-tuning: its embodiments, weights and
 * normalisation carried over, heads added for an embodiment it does not know, and, with a frozen
 * trunk, only the embodiments' heads trained). A resumed run continues from its newest checkpoint
 * with the same weights, optimiser, EMA, step and data order.
 */
public final class FoundationTrainer {

    /** What a run ended with; validation losses and held-out action errors by embodiment (NaN where none is held out). */
    public record Result(long firstStep, long steps, double finalLoss, Map<String, Double> validationLoss,
            Map<String, Double> heldOutActionError, double stepsPerSecond, Path checkpoint, List<FoundationEmbodiment> embodiments) {

        public boolean trained() {
            return steps > firstStep;
        }
    }

    /** What to fine-tune from, and which parameters to train. */
    public record Base(FoundationCheckpoint checkpoint, Freeze freeze) {}

    /** Which parameters fine-tuning keeps as they were. */
    public enum Freeze {
        /** Train everything. */
        NONE,
        /** Train only the embodiments' encoders and decoders, keep the shared trunk (GR00T's recipe for a new embodiment). */
        TRUNK;

        public static Freeze parse(String text, String source) {
            return switch (text) {
                case "none" -> NONE;
                case "trunk" -> TRUNK;
                default -> throw new kiban.core.error.InvalidInputException(source, "", "trunk or none", "'" + text + "'");
            };
        }
    }

    /** The held-out windows a run reports its action error on, at most, per embodiment. */
    static final int HELD_OUT_WINDOWS = 512;

    private final FoundationConfig config;
    private final List<MixData> datasets;
    private final RunDirectory run;
    private final Optional<Base> base;
    /** Where {@link #train} stops early, as if interrupted; for tests of resuming. */
    private long stopAfter = Long.MAX_VALUE;

    public FoundationTrainer(FoundationConfig config, List<MixData> datasets, RunDirectory run, Optional<Base> base) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("no datasets to train on");
        }
        this.config = config;
        this.datasets = List.copyOf(datasets);
        this.run = run;
        this.base = base;
    }

    FoundationTrainer stopAfter(long step) {
        this.stopAfter = step;
        return this;
    }

    public Result train(boolean resume, Progress progress) {
        try {
            return doTrain(resume, progress);
        } catch (IOException e) {
            throw new KibanException(run.root() + ": cannot write the run: " + e.getMessage(), e);
        }
    }

    private Result doTrain(boolean resume, Progress progress) throws IOException {
        PolicyTrainer.checkRunFolder(run, resume);
        List<FoundationEmbodiment> embodiments;
        if (resume) {
            checkSameRun();
            embodiments = FoundationFiles.readEmbodiments(run, config);
        } else {
            embodiments = embodiments();
        }
        FoundationDims dims = FoundationCheckpoint.dims(config, embodiments);
        FoundationNetwork net = new FoundationNetwork(dims, config.flowSteps());
        List<Mixture.Part> parts = new ArrayList<>();
        Map<String, ChunkWindows> validation = new LinkedHashMap<>();
        try {
            for (int i = 0; i < datasets.size(); i++) {
                int e = indexOf(embodiments, datasets.get(i).embodiment());
                // Delta actions: windows, statistics and validation see the steps, not the targets.
                MixData d = datasets.get(i).with(steps(datasets.get(i).data(), embodiments.get(e).metadata()));
                var codec = embodiments.get(e).codec();
                List<kiban.core.policy.ImageSpec> cameras = embodiments.get(e).metadata().images();
                parts.add(new Mixture.Part(e, new ChunkWindows(d.data().train(), codec, cameras, Optional.of(config.tokens()),
                        config.observationSteps(), config.horizon(), config.seed() + i), d.weight()));
                if (!d.data().validation().isEmpty()) {
                    validation.put(embodiments.get(e).name(), new ChunkWindows(d.data().validation(), codec, cameras,
                            Optional.of(config.tokens()), config.observationSteps(), config.horizon(), config.seed() + i));
                }
            }
        } catch (RuntimeException ex) {
            parts.forEach(p -> p.windows().close());
            validation.values().forEach(ChunkWindows::close);
            throw ex;
        }
        if (!resume) {
            writeRunFiles(embodiments);
        }
        Predicate<String> trainable = trainable(embodiments, base.map(b -> b.freeze() == Freeze.TRUNK).orElse(false));
        Engine.getInstance().setRandomSeed((int) config.seed());
        try (Mixture mixture = new Mixture(parts, dims, config.seed());
                TrainStep trainer = new TrainStep(net, config.optimisation(), dims.observationInputs(), dims.chunkOutputs(),
                        trainable)) {
            Block block = trainer.block();
            long start = 0;
            double loss = Double.NaN;
            if (resume) {
                Checkpoints.Restored restored = Checkpoints.restore(run, block, trainer.manager(), trainer.optimizer(), trainer.ema());
                start = restored.step();
                loss = restored.loss();
                if (start > config.steps()) {
                    throw new KibanException(run.root() + ": the run is at step " + start + ", past the " + config.steps()
                            + " steps asked for; pass --steps " + start + " or more");
                }
                RunDirectory.writeAtomically(run.config(), Json.pretty(config.toTree()));
                mixture.skip(start, config.batch());
            } else if (base.isPresent()) {
                base.get().checkpoint().copyWeightsInto(block);
            }
            try (MetricsLog metrics = resume ? MetricsLog.resume(run, start) : MetricsLog.create(run)) {
                return loop(trainer, net, mixture, validation, metrics, start, loss, progress, embodiments);
            }
        } finally {
            validation.values().forEach(ChunkWindows::close);
        }
    }

    private Result loop(TrainStep trainer, FoundationNetwork net, Mixture mixture, Map<String, ChunkWindows> validation,
            MetricsLog metrics, long start, double startLoss, Progress progress, List<FoundationEmbodiment> embodiments)
            throws IOException {
        trainer.start();
        Schedule schedule = new Schedule(config.learningRate(), config.warmupSteps(), config.steps(), 0.0);
        double loss = startLoss;
        Map<String, Double> valLoss = Map.of();
        progress.begin(start);
        StepRate pace = new StepRate();
        Path lastCheckpoint = run.latestCheckpoint().orElse(null);
        long end = Math.min(config.steps(), stopAfter);
        for (long step = start; step < end; step++) {
            Batch batch = mixture.next(step, config.batch());
            // The flow noise of each step from its own seed, so a resumed run draws what a straight one does.
            Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003L + step));
            double lr = schedule.at(step);
            TrainStep.Stats stats = trainer.run(batch, lr, step);
            loss = stats.loss();
            StepRate.requireFinite(loss, step, config.learningRate());
            long done = step + 1;
            double rate = pace.step(done == config.steps());
            boolean validate = !validation.isEmpty() && (done % config.validateEvery() == 0 || done == config.steps());
            if (validate) {
                valLoss = validationLoss(trainer, net, embodiments, validation);
            }
            if (done % 50 == 0 || validate || done == config.steps()) {
                metrics.log(done, loss, lr, stats.gradNorm(), rate, mean(valLoss), validate);
            }
            if (done % config.checkpointEvery() == 0 || done == config.steps()) {
                lastCheckpoint = Checkpoints.save(run, trainer.block(), trainer.optimizer(), trainer.ema(), done, loss);
            }
            progress.status(String.format("loss %.4f", loss));
            progress.step(1);
        }
        double meanRate = pace.mean();
        Map<String, Double> actionError = heldOutActionError(trainer, net, embodiments, validation);
        writeEvaluation(valLoss, actionError);
        ModelCards.write(run);
        return new Result(start, Math.max(start, end), loss, valLoss, actionError, meanRate, lastCheckpoint,
                embodiments);
    }

    private static double mean(Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The flow loss of each embodiment's held-out windows under the EMA weights, which are what gets deployed. */
    private Map<String, Double> validationLoss(TrainStep trainer, FoundationNetwork net, List<FoundationEmbodiment> embodiments,
            Map<String, ChunkWindows> validation) {
        NDManager root = trainer.manager();
        NDList live = PolicyTrainer.swapIn(trainer.block(), root, trainer.ema().weights());
        try {
            ParameterStore store = new ParameterStore(root, false);
            Map<String, Double> out = new LinkedHashMap<>();
            validation.forEach((name, windows) -> {
                int e = indexOf(embodiments, name);
                double sum = 0;
                long n = 0;
                for (Batch raw : windows.all(config.batch())) {
                    Batch b = Mixture.pad(e, raw, net.dims());
                    try (NDManager scratch = root.newSubManager()) {
                        NDArray obs = scratch.create(b.observations(), new Shape(b.size(), net.dims().observationInputs()));
                        NDArray act = scratch.create(b.actions(), new Shape(b.size(), net.dims().chunkOutputs()));
                        NDArray mask = scratch.create(b.mask(), new Shape(b.size(), net.dims().chunkOutputs()));
                        sum += net.loss(store, obs, act, mask).getFloat() * b.size();
                        n += b.size();
                    }
                }
                out.put(name, sum / n);
            });
            return out;
        } finally {
            PolicyTrainer.swapIn(trainer.block(), root, live).close();
        }
    }

    /**
     * The mean squared error, in normalised units over the real elements, between the chunks the
     * EMA policy samples and the recorded ones, on at most {@link #HELD_OUT_WINDOWS} held-out windows
     * of each embodiment: how a policy is judged where there is no simulator to run it in (a real
     * robot's recording).
     */
    private Map<String, Double> heldOutActionError(TrainStep trainer, FoundationNetwork net,
            List<FoundationEmbodiment> embodiments, Map<String, ChunkWindows> validation) {
        NDManager root = trainer.manager();
        NDList live = PolicyTrainer.swapIn(trainer.block(), root, trainer.ema().weights());
        try {
            ParameterStore store = new ParameterStore(root, false);
            Networks.seedSampling(config.seed());
            Map<String, Double> out = new LinkedHashMap<>();
            validation.forEach((name, windows) -> out.put(name, HeldOut.actionError(store, root, net,
                    indexOf(embodiments, name), windows, HELD_OUT_WINDOWS, config.batch())));
            return out;
        } finally {
            PolicyTrainer.swapIn(trainer.block(), root, live).close();
        }
    }

    /**
     * The parameters this run trains: the heads of the embodiments its data holds (the others have
     * nothing to learn from it, and stay as they were), and the shared ones unless the trunk is frozen
     * or adapted (then only its adapters).
     */
    private Predicate<String> trainable(List<FoundationEmbodiment> embodiments, boolean frozenTrunk) {
        java.util.Set<String> heads = new java.util.HashSet<>();
        datasets.forEach(d -> heads.add(FoundationTransformer.headPrefix(indexOf(embodiments, d.embodiment()))));
        // With adapters the trunk stays as it was and its adapters learn instead (LoRA).
        boolean adapters = config.loraRank() > 0;
        return name -> FoundationTransformer.isEmbodimentParameter(name)
                ? heads.contains(FoundationTransformer.headPrefix(FoundationTransformer.embodimentOf(name)))
                : adapters ? FoundationTransformer.isAdapterParameter(name) : !frozenTrunk;
    }

    /** {@code data} with the actions {@code m} lists as delta actions turned into steps from its observations. */
    private static TrainingData steps(TrainingData data, kiban.core.policy.PolicyMetadata m) {
        if (m.deltaActions().isEmpty()) {
            return data;
        }
        return new TrainingData(data.observation(), data.action(), DeltaTargets.apply(data.train(), m),
                DeltaTargets.apply(data.validation(), m), data.source(), data.contentHash(), data.images());
    }

    static int indexOf(List<FoundationEmbodiment> embodiments, String name) {
        for (int i = 0; i < embodiments.size(); i++) {
            if (embodiments.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no embodiment " + name);
    }

    /**
     * The run's embodiments: the base checkpoint's (fine-tuning), then one per dataset whose
     * embodiment is new, in the order given, its normalisation fitted on its training episodes.
     */
    private List<FoundationEmbodiment> embodiments() {
        List<FoundationEmbodiment> out = new ArrayList<>(base.map(b -> b.checkpoint().embodiments()).orElse(List.of()));
        Map<String, List<String>> tasks = new LinkedHashMap<>();
        for (MixData d : datasets) {
            tasks.computeIfAbsent(d.embodiment(), k -> new ArrayList<>()).addAll(d.data().instructions());
        }
        for (MixData d : datasets) {
            int known = out.stream().map(FoundationEmbodiment::name).toList().indexOf(d.embodiment());
            if (known >= 0) {
                // Fine-tuning an embodiment the base knows: its heads and normalisation, and the new tasks.
                out.get(known).requireSameFeatures(d);
                out.set(known, out.get(known).withTasks(tasks.get(d.embodiment())));
                continue;
            }
            var metadata = DeltaTargets.check(new kiban.core.policy.PolicyMetadata(FoundationNetwork.TYPE, d.data().observation(),
                    d.data().action(), config.observationSteps(), config.horizon(), config.actionSteps()),
                    config.deltaActions(d.embodiment()), "config: delta_actions: " + d.embodiment()).withImages(d.data().images());
            out.add(new FoundationEmbodiment(d.embodiment(), d.env(), metadata,
                    PolicyTrainer.fitNormalizer(config.normalization(), steps(d.data(), metadata)),
                    tasks.get(d.embodiment()).stream().distinct().sorted().toList(), config.stateFeatures(d.embodiment())));
        }
        return out;
    }

    private void writeRunFiles(List<FoundationEmbodiment> embodiments) throws IOException {
        Files.createDirectories(run.root());
        RunDirectory.writeAtomically(run.config(), Json.pretty(config.toTree()));
        FoundationFiles.write(run, config.tokens(), embodiments);
        ObjectNode lineage = Json.object();
        ArrayNode mix = lineage.putArray("datasets");
        for (MixData d : datasets) {
            mix.addObject().put("dataset", d.data().source()).put("dataset_hash", d.data().contentHash())
                    .put("embodiment", d.embodiment()).put("weight", d.weight()).put("episodes", d.data().train().size()
                            + d.data().validation().size())
                    .put("train_episodes", d.data().train().size()).put("validation_episodes", d.data().validation().size());
        }
        base.ifPresent(b -> lineage.put("fine_tuned_from", b.checkpoint().root().toAbsolutePath().normalize().toString())
                .put("freeze", b.freeze().name().toLowerCase(java.util.Locale.ROOT)).put("lora_rank", config.loraRank()));
        lineage.put("java", Runtime.version().toString());
        lineage.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        lineage.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        RunDirectory.writeAtomically(run.lineage(), Json.pretty(lineage));
    }

    /** The run's held-out figures, for its model card. */
    private void writeEvaluation(Map<String, Double> validationLoss, Map<String, Double> actionError) {
        ObjectNode o = Json.object();
        ObjectNode per = o.putObject("held_out");
        actionError.forEach((name, error) -> per.putObject(name).put("action_mse", error)
                .put("flow_loss", validationLoss.getOrDefault(name, Double.NaN)));
        RunDirectory.writeAtomically(run.root().resolve(HeldOut.FILE), Json.pretty(o));
    }

    /** A resumed run must see the data and the config it started with, or its order and statistics mean nothing. */
    private void checkSameRun() {
        FoundationConfig saved = FoundationConfig.read(Json.readTree(run.config()), run.config().toString(), FoundationConfig.defaults());
        List<String> changed = config.changesFrom(saved);
        if (!changed.isEmpty()) {
            throw new KibanException(run.root() + ": resuming with a config that differs from the run's " + run.config()
                    + ": " + String.join(", ", changed) + "; only the steps may change");
        }
        FieldReader lineage = FieldReader.root(Json.readTree(run.lineage()), run.lineage().toString());
        List<String> recorded = lineage.requireList("datasets", d -> d.requireText("dataset_hash") + " "
                + d.requireDouble("weight", 0, 1e300) + " " + d.requireInt("episodes", 1, Integer.MAX_VALUE));
        List<String> now = datasets.stream().map(d -> d.data().contentHash() + " " + d.weight() + " "
                + (d.data().train().size() + d.data().validation().size())).toList();
        if (!recorded.equals(now)) {
            throw new KibanException(run.root() + " was trained on another mixture (" + run.lineage()
                    + " lists its datasets, hashes and weights); resume with the same --mix");
        }
    }
}
