package kiban.policy.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kiban.core.error.KibanException;
import kiban.core.json.FieldReader;
import kiban.core.json.Json;
import kiban.core.normalize.FeatureStats;
import kiban.core.normalize.Normalizer;
import kiban.core.policy.PolicyMetadata;
import kiban.core.progress.Progress;
import kiban.policy.data.Batch;
import kiban.policy.data.ChunkWindows;
import kiban.policy.data.Episode;
import kiban.policy.data.DeltaTargets;
import kiban.policy.data.FeatureCodec;
import kiban.policy.data.InstructionFeatures;
import kiban.policy.data.TrainingData;
import kiban.policy.model.Networks;
import kiban.policy.nn.Blocks;
import kiban.policy.model.PolicyNetwork;
import kiban.policy.card.ModelCards;
import kiban.policy.run.Instructions;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.TrainConfig;

/**
 * Trains a policy network on windows of recorded episodes and writes a run folder that
 * {@link kiban.policy.run.TrainedPolicy} loads. With {@code resume}, it continues the run in the
 * folder from its newest checkpoint: same weights, optimiser moments, EMA, step and data order.
 * Where the data's frames carry more than one instruction, the policy follows instructions: each
 * training row ends with its frame's {@link InstructionFeatures}, which the network's first layer
 * reads as it reads the states, and {@code policy.json} records the encoder and the instructions.
 */
public final class PolicyTrainer {

    private final TrainConfig config;
    private final TrainingData data;
    private final PolicyMetadata metadata;
    private final RunDirectory run;
    private Optional<Instructions> instructions;
    /** Where {@link #train} stops early, as if interrupted; for tests of resuming. */
    private long stopAfter = Long.MAX_VALUE;

    public PolicyTrainer(TrainConfig config, TrainingData data, RunDirectory run) {
        this.config = config;
        List<String> images = data.images().stream().map(kiban.core.policy.ImageSpec::name).toList();
        if (!images.equals(config.imageFeatures())) {
            throw new kiban.core.error.InvalidInputException("config", "image_features", "the images the data carries "
                    + images, String.valueOf(config.imageFeatures()));
        }
        for (kiban.core.policy.ImageSpec s : data.images()) {
            var a = config.imageAugmentation();
            if (a.crops() && (a.cropHeight() > s.height() || a.cropWidth() > s.width())) {
                throw new kiban.core.error.InvalidInputException("config", "image_crop", "a crop no larger than " + s.name()
                        + "'s " + s.height() + "x" + s.width() + " frames", "[" + a.cropHeight() + ", " + a.cropWidth() + "]");
            }
        }
        if (config.imageEncoding().shared() && data.images().stream()
                .map(i -> List.of(i.channels(), i.height(), i.width())).distinct().count() > 1) {
            throw new kiban.core.error.InvalidInputException("config", "shared_image_encoder",
                    "false where the cameras differ in size (" + data.images() + ")", "true");
        }
        this.metadata = DeltaTargets.check(new PolicyMetadata(config.policy(), data.observation(), data.action(),
                config.observationSteps(), config.horizon(), config.actionSteps()), config.deltaActions(), "config")
                .withImages(data.images());
        // Delta actions: every later step (statistics, windows, validation) sees the steps, not the targets.
        this.data = new TrainingData(data.observation(), data.action(), DeltaTargets.apply(data.train(), metadata),
                DeltaTargets.apply(data.validation(), metadata), data.source(), data.contentHash(), data.images());
        this.run = run;
        List<String> tasks = data.instructions();
        this.instructions = tasks.size() > 1 ? Optional.of(new Instructions(InstructionFeatures.defaults(), tasks))
                : Optional.empty();
    }

    /**
     * How the policy reads instructions: present where the data's frames carry more than one
     * distinct instruction (LeRobot task), so that a dataset of one task trains as it always did.
     * A resumed run reads them as it started ({@code policy.json}), once {@link #train} has begun.
     */
    public Optional<Instructions> instructions() {
        return instructions;
    }

    PolicyTrainer stopAfter(long step) {
        this.stopAfter = step;
        return this;
    }

    /**
     * What a run ended with. {@code firstStep} is where this invocation began (0, or the checkpoint a
     * resumed run continued from; equal to {@code steps} when a resumed run had nothing left to do);
     * {@code validationLoss} is NaN when no episodes are held out; {@code stepsPerSecond} is the
     * mean over the steps this invocation trained, which is what its progress bar shows.
     */
    public record Result(long firstStep, long steps, double finalLoss, double validationLoss, double stepsPerSecond,
            Path checkpoint) {

        /** Whether this invocation trained any step. */
        public boolean trained() {
            return steps > firstStep;
        }
    }

    /**
     * Refuses, before any data is read, a folder {@code train} cannot use: without {@code resume}
     * one that holds a run or anything else (a dataset, say), with {@code resume} one that holds no run.
     */
    public static void checkRunFolder(RunDirectory run, boolean resume) {
        Path root = run.root();
        if (resume && !run.exists()) {
            throw new KibanException(root + ": nothing to resume: " + (Files.exists(root)
                    ? "no training run there (no config.json)" : "the folder does not exist"));
        }
        if (!resume && run.exists()) {
            throw new KibanException(root + ": a run already exists there; pass --resume to continue it"
                    + " or choose another --out");
        }
        if (!resume && Files.exists(root) && !isEmptyFolder(root)) {
            throw new KibanException(root + ": " + (Files.isDirectory(root) ? "the folder is not empty and holds no"
                    + " training run" : "not a folder") + "; train into a new or empty folder");
        }
    }

    private static boolean isEmptyFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new KibanException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    public Result train(boolean resume, Progress progress) {
        try {
            return doTrain(resume, progress);
        } catch (IOException e) {
            throw new KibanException(run.root() + ": cannot write the run: " + e.getMessage(), e);
        }
    }

    private Result doTrain(boolean resume, Progress progress) throws IOException {
        checkRunFolder(run, resume);
        if (resume) {
            checkSameData();
            checkSameConfig();
            // As the run started: one trained before instructions were read has none, whatever its data.
            instructions = PolicyFiles.readInstructions(run.policy());
        }
        Normalizer normalizer = resume ? Normalizer.load(run.normalization()) : fitNormalizer();
        FeatureCodec codec = new FeatureCodec(data.observation(), data.action(), normalizer, config.stateFeatures());
        Optional<InstructionFeatures> text = instructions.map(Instructions::features);
        // Training batches are augmented; validation reads the centre crop, as the deployed policy does.
        ChunkWindows train = new ChunkWindows(data.train(), codec, data.images(), text, config.imageAugmentation(),
                config.observationSteps(), config.horizon(), config.seed());
        ChunkWindows validation = data.validation().isEmpty() ? null : new ChunkWindows(data.validation(), codec,
                data.images(), text, config.imageAugmentation(), config.observationSteps(), config.horizon(), config.seed());
        if (!resume) {
            writeRunFiles(metadata, normalizer);
        }
        PolicyNetwork net = Networks.create(config, Networks.layout(config, codec.encodedObservationDim(),
                config.imageAugmentation().inputs(data.images()),
                text.map(InstructionFeatures::buckets).orElse(0)), train.chunkOutputs());
        Engine.getInstance().setRandomSeed((int) config.seed());
        try (train; TrainStep trainer = new TrainStep(net, config, train.observationInputs(), train.chunkOutputs())) {
            Block block = trainer.block();
            NDManager root = trainer.manager();
            long start = 0;
            double loss = Double.NaN;
            if (resume) {
                Checkpoints.Restored restored = Checkpoints.restore(run, block, root, trainer.optimizer(), trainer.ema());
                start = restored.step();
                loss = restored.loss();
                if (start > config.steps()) {
                    throw new KibanException(run.root() + ": the run is at step " + start + ", past the " + config.steps()
                            + " steps asked for; pass --steps " + start + " or more");
                }
                RunDirectory.writeAtomically(run.config(), Json.pretty(config.toTree()));
                train.skip(start * config.batch());
                Engine.getInstance().setRandomSeed((int) (config.seed() + start));
            }
            try (MetricsLog metrics = resume ? MetricsLog.resume(run, start) : MetricsLog.create(run)) {
                return loop(trainer, net, train, validation, metrics, start, loss, progress);
            }
        }
    }

    private Result loop(TrainStep trainer, PolicyNetwork net, ChunkWindows train, ChunkWindows validation, MetricsLog metrics,
            long start, double startLoss, Progress progress) throws IOException {
        Block block = trainer.block();
        NDManager root = trainer.manager();
        trainer.start();
        Schedule schedule = new Schedule(config.learningRate(), config.warmupSteps(), config.steps(), 0.0);
        double loss = startLoss;
        double valLoss = Double.NaN;
        progress.begin(start);
        StepRate pace = new StepRate();
        Path lastCheckpoint = run.latestCheckpoint().orElse(null);
        long end = Math.min(config.steps(), stopAfter);
        for (long step = start; step < end; step++) {
            Batch batch = train.next(config.batch());
            double lr = schedule.at(step);
            TrainStep.Stats stats = trainer.run(batch, lr, step);
            loss = stats.loss();
            double gradNorm = stats.gradNorm();
            StepRate.requireFinite(loss, step, config.learningRate());
            long done = step + 1;
            double rate = pace.step(done == config.steps());
            boolean validate = validation != null && (done % config.validateEvery() == 0 || done == config.steps());
            if (validate) {
                valLoss = validationLoss(net, block, root, trainer.ema(), validation);
            }
            if (done % 50 == 0 || validate || done == config.steps()) {
                metrics.log(done, loss, lr, gradNorm, rate, valLoss, validate);
            }
            if (done % config.checkpointEvery() == 0 || done == config.steps()) {
                lastCheckpoint = save(block, trainer.optimizer(), trainer.ema(), done, loss);
            }
            progress.status(String.format("loss %.4f", loss));
            progress.step(1);
        }
        double meanRate = pace.mean();
        ModelCards.write(run);
        return new Result(start, Math.max(start, end), loss, valLoss, meanRate, lastCheckpoint);
    }

    /**
     * A resumed run continues with the config it started with; only its steps may change (and
     * config.json then records the new number, so that a later resume goes on to it).
     */
    private void checkSameConfig() {
        TrainConfig saved = TrainConfig.of(run);
        List<String> changed = config.changesFrom(saved);
        if (!changed.isEmpty()) {
            throw new KibanException(run.root() + ": resuming with a config that differs from the run's " + run.config()
                    + ": " + String.join(", ", changed) + "; only the steps may change");
        }
    }

    /** A resumed run must see the data it started on, or its data order and statistics mean nothing. */
    private void checkSameData() {
        FieldReader lineage = FieldReader.root(Json.readTree(run.lineage()), run.lineage().toString());
        String recorded = lineage.requireText("dataset_hash");
        if (!recorded.equals(data.contentHash())) {
            throw new KibanException(run.root() + " was trained on " + lineage.requireText("dataset") + " (" + recorded
                    + "), but the data given now hashes to " + data.contentHash() + "; resume with the same dataset");
        }
    }

    private Normalizer fitNormalizer() {
        return fitNormalizer(config.normalization(), data);
    }

    /** Statistics of every observation and action feature over {@code data}'s training episodes. */
    public static Normalizer fitNormalizer(kiban.core.normalize.NormalizationMode mode, TrainingData data) {
        Map<String, FeatureStats> stats = new LinkedHashMap<>();
        fit(stats, data, data.observation(), true);
        fit(stats, data, data.action(), false);
        return Normalizer.of(mode, stats);
    }

    private static void fit(Map<String, FeatureStats> stats, TrainingData data, List<kiban.core.embodiment.FeatureSpec> features,
            boolean observation) {
        int offset = 0;
        int frames = data.train().stream().mapToInt(Episode::length).sum();
        for (var f : features) {
            double[][] rows = new double[frames][f.size()];
            int i = 0;
            for (Episode e : data.train()) {
                double[][] vectors = observation ? e.observations() : e.actions();
                for (double[] v : vectors) {
                    System.arraycopy(v, offset, rows[i++], 0, f.size());
                }
            }
            stats.put(observation ? FeatureCodec.observationKey(f) : FeatureCodec.actionKey(f), FeatureStats.fit(rows));
            offset += f.size();
        }
    }

    private void writeRunFiles(PolicyMetadata metadata, Normalizer normalizer) throws IOException {
        Files.createDirectories(run.root());
        RunDirectory.writeAtomically(run.config(), Json.pretty(config.toTree()));
        RunDirectory.writeAtomically(run.policy(), Json.pretty(PolicyFiles.toTree(metadata, instructions)));
        normalizer.save(run.normalization());
        ObjectNode lineage = Json.object();
        lineage.put("dataset", data.source());
        lineage.put("dataset_hash", data.contentHash());
        lineage.put("train_episodes", data.train().size());
        lineage.put("validation_episodes", data.validation().size());
        lineage.put("java", Runtime.version().toString());
        lineage.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        lineage.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        RunDirectory.writeAtomically(run.lineage(), Json.pretty(lineage));
    }

    private double validationLoss(PolicyNetwork net, Block block, NDManager root, Ema ema, ChunkWindows validation) {
        // Validate the EMA weights, which are what gets deployed.
        NDList live = swapIn(block, root, ema.weights());
        try {
            ParameterStore store = new ParameterStore(root, false);
            double sum = 0;
            long n = 0;
            for (Batch b : validation.all(config.batch())) {
                try (NDManager scratch = root.newSubManager()) {
                    NDArray obs = scratch.create(b.observations(), new Shape(b.size(), validation.observationInputs()));
                    NDArray act = scratch.create(b.actions(), new Shape(b.size(), validation.chunkOutputs()));
                    NDArray mask = scratch.create(b.mask(), new Shape(b.size(), validation.chunkOutputs()));
                    sum += net.loss(store, obs, act, mask).getFloat() * b.size();
                    n += b.size();
                }
            }
            return sum / n;
        } finally {
            swapIn(block, root, live).close();
        }
    }

    /** Copies {@code weights} into the block's parameters and returns copies of what they held. */
    public static NDList swapIn(Block block, NDManager manager, NDList weights) {
        NDList previous = new NDList();
        Map<String, NDArray> byName = new LinkedHashMap<>();
        weights.forEach(w -> byName.put(w.getName(), w));
        for (var p : block.getParameters()) {
            NDArray current = p.getValue().getArray();
            NDArray copy = current.duplicate();
            copy.setName(p.getKey());
            copy.attach(manager);
            previous.add(copy);
            NDArray replacement = byName.get(p.getKey());
            if (replacement != null) {
                Blocks.assign(current, replacement);
            }
        }
        return previous;
    }

    private Path save(Block block, AdamW optimizer, Ema ema, long step, double loss) throws IOException {
        return Checkpoints.save(run, block, optimizer, ema, step, loss);
    }
}
