package kiban.policy.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.policy.PolicyMetadata;
import kiban.core.progress.Progress;
import kiban.data.lerobot.KibanMeta;
import kiban.policy.card.ModelCards;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.Episode;
import kiban.policy.data.TrainingData;
import kiban.policy.run.PolicyFiles;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.RunKinds;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.PolicyTrainer;
import kiban.policy.train.TrainOutcome;
import kiban.policy.train.TrainRequest;
import kiban.policy.train.TrainingKind;

/**
 * How {@code kiban train --policy estimated-state} trains: a camera estimator of the state features
 * the config names, by plain regression on a recorded dataset whose state vectors carry them (a
 * simulator's recording labels every frame), for a state policy already trained. The run folder
 * gets a copy of the state policy's newest checkpoint, so it stays whole if the original goes.
 */
public final class EstimatedStateTraining implements TrainingKind {

    @Override
    public String policy() {
        return EstimatedStateConfig.POLICY;
    }

    @Override
    public TrainOutcome train(TrainRequest q) {
        RunDirectory run = q.run();
        if (q.mix().isPresent()) {
            throw new InvalidInputException("--mix", "mix", "--dataset DIR: an estimator trains on one recorded dataset",
                    q.mix().get());
        }
        String source = q.resume() ? run.config().toString()
                : q.config().map(Path::toString).orElseThrow(() -> new InvalidInputException("--config", "config",
                        "a config file naming state_policy, estimate and image_features", "none"));
        JsonNode tree = Json.readTree(q.resume() ? run.config() : q.config().get());
        EstimatedStateConfig c = EstimatedStateConfig.read(tree, source)
                .withFlags(q.steps().orElse(null), q.batch().orElse(null), q.seed().orElse(null));
        Job job = Job.prepare(run, q.dataset().orElseThrow(), c, q.resume(), source);
        Trained t;
        try (Progress p = Progress.start(job.label(), "steps", job.steps(), true)) {
            t = job.train(p);
        }
        Optional<PolicyTrainer.Result> retrained = job.retrainsStatePolicy() ? Optional.of(job.retrainStatePolicy())
                : Optional.empty();
        return outcome(run.root(), job.targets, t, retrained);
    }

    /** What a training ended with: the estimator's run and its error on the held-out episodes (none without any). */
    public record Trained(PolicyTrainer.Result result, List<EstimateError> heldOut) {}

    /**
     * One training, checked and with its data read, before its progress bar starts: the run, the
     * dataset, the config and whether to resume the run in the folder.
     */
    public static final class Job {

        private final RunDirectory run;
        private final Path dataset;
        private final EstimatedStateConfig config;
        private final boolean resume;
        private final Path statePolicy;
        private final TrainingData data;
        private final TrainingData targets;
        private final EstimatedFeatures features;
        private final TrainConfig estimator;

        private Job(RunDirectory run, Path dataset, EstimatedStateConfig config, boolean resume, String source) {
            this.run = run;
            this.dataset = dataset;
            this.config = config;
            this.resume = resume;
            this.statePolicy = resume ? run.root().resolve(EstimatedStatePolicy.STATE_POLICY) : config.statePolicyDir();
            PolicyMetadata state = requireStatePolicy(statePolicy, source);
            TrainConfig probe = config.estimator(List.of(), source);
            this.data = DatasetEpisodes.load(dataset, probe.validationFraction(), probe.imageFeatures());
            if (!state.observation().equals(data.observation())) {
                throw new KibanException(dataset + ": its state features " + names(data) + " are not those the state policy "
                        + statePolicy + " reads " + state.observation().stream().map(f -> f.name()).toList()
                        + "; record the dataset from the same env");
            }
            this.features = new EstimatedFeatures(data.observation(), config.estimate(), config.relativeTo(), source);
            this.estimator = config.estimator(features.readFromState(statePolicyReads(statePolicy)), source);
            this.targets = asTargets(data, features);
        }

        /**
         * Checks the state policy, the config and the data against each other (errors name
         * {@code source}, the config file) and reads the data; nothing is written yet.
         */
        public static Job prepare(RunDirectory run, Path dataset, EstimatedStateConfig config, boolean resume, String source) {
            return new Job(run, dataset, config, resume, source);
        }

        /** The progress bar's label. */
        public String label() {
            return "train the " + String.join(" and ", features.names()) + " estimator";
        }

        /** The steps the estimator trains to. */
        public long steps() {
            return estimator.steps();
        }

        /** Trains, showing {@code progress}; the run folder gets the state policy's copy first. */
        public Trained train(Progress progress) {
            if (!resume) {
                start(run, config, statePolicy, features, KibanMeta.read(dataset).map(KibanMeta::env).orElse(""));
            } else {
                RunDirectory.writeAtomically(run.config(), Json.pretty(config.toTree()));
            }
            RunDirectory estimatorRun = new RunDirectory(run.root().resolve(EstimatedStatePolicy.ESTIMATOR));
            PolicyTrainer.Result r = new PolicyTrainer(estimator, targets, estimatorRun).train(resume, progress);
            writeLineage(run, estimatorRun, config);
            ModelCards.write(run);
            List<EstimateError> errors = List.of();
            if (!targets.validation().isEmpty() && r.checkpoint() != null) {
                try (EstimatedStatePolicy policy = EstimatedStatePolicy.load(run.root())) {
                    errors = EstimateError.over(policy, data.validation(), features);
                }
            }
            return new Trained(r, errors);
        }

        /** Whether the config asks to train the state policy again on the estimator's readings. */
        public boolean retrainsStatePolicy() {
            return config.retrainStatePolicy();
        }

        /**
         * Trains the run's state policy again, with its own config, on this dataset's episodes as the
         * estimator reads them (the held-out episodes stay held out), and puts it in place of the copy.
         */
        public PolicyTrainer.Result retrainStatePolicy() {
            Path current = run.root().resolve(EstimatedStatePolicy.STATE_POLICY);
            TrainingData readings;
            try (EstimatedStatePolicy policy = EstimatedStatePolicy.load(run.root());
                    Progress p = Progress.start("read the recorded frames with the estimator", "episodes",
                            data.train().size() + data.validation().size(), true)) {
                readings = new TrainingData(data.observation(), data.action(), read(policy, data.train(), p),
                        read(policy, data.validation(), p), data.source(), data.contentHash(), List.of());
            }
            TrainConfig stateConfig = trainConfig(current);
            Path fresh = run.root().resolve(EstimatedStatePolicy.STATE_POLICY + ".retrain");
            PolicyTrainer.Result r;
            try {
                RunDirectory.deleteTree(fresh);
                try (Progress p = Progress.start("train the state policy on the estimates", "steps", stateConfig.steps(),
                        true)) {
                    r = new PolicyTrainer(stateConfig, readings, new RunDirectory(fresh)).train(false, p);
                }
                // Swapped in two moves, so a run never lacks a whole state policy under one of the names.
                Path old = run.root().resolve(EstimatedStatePolicy.STATE_POLICY + ".old");
                RunDirectory.deleteTree(old);
                Files.move(current, old);
                Files.move(fresh, current);
                RunDirectory.deleteTree(old);
            } catch (IOException e) {
                throw new KibanException(run.root() + ": cannot replace the state policy: " + e.getMessage(), e);
            }
            writeLineage(run, new RunDirectory(run.root().resolve(EstimatedStatePolicy.ESTIMATOR)), config);
            ModelCards.write(run);
            return r;
        }

        private static List<Episode> read(EstimatedStatePolicy policy, List<Episode> episodes, Progress progress) {
            List<Episode> out = new ArrayList<>();
            for (Episode e : episodes) {
                out.add(new Episode(policy.read(e), e.actions(), List.of(), e.instructions()));
                progress.step(1);
            }
            return out;
        }
    }

    /** The state features the state policy was trained to read (empty: all). */
    private static List<String> statePolicyReads(Path dir) {
        return trainConfig(dir).stateFeatures();
    }

    private static TrainConfig trainConfig(Path dir) {
        return TrainConfig.of(new RunDirectory(dir));
    }

    /** The state policy's features; it must be a Kiban training run of states alone. */
    private static PolicyMetadata requireStatePolicy(Path dir, String source) {
        RunDirectory run = new RunDirectory(dir);
        if (!run.exists() || RunKinds.of(dir).isPresent()) {
            throw new InvalidInputException(source, "state_policy", "the folder of a Kiban training run of a state policy"
                    + " (config.json, policy.json, checkpoints)", dir.toString());
        }
        PolicyMetadata m = PolicyFiles.read(run.policy());
        if (!m.images().isEmpty()) {
            throw new InvalidInputException(source, "state_policy", "a policy of states alone", dir + " reads cameras");
        }
        if (run.latestCheckpoint().isEmpty()) {
            throw new KibanException(dir + ": the state policy has no complete checkpoint yet");
        }
        return m;
    }

    private static List<String> names(TrainingData data) {
        return data.observation().stream().map(f -> f.name()).toList();
    }

    /** The run folder's own files and the state policy's copy. */
    private static void start(RunDirectory run, EstimatedStateConfig c, Path statePolicy, EstimatedFeatures features,
            String env) {
        try {
            Files.createDirectories(run.root());
            copyRun(statePolicy, run.root().resolve(EstimatedStatePolicy.STATE_POLICY));
            ObjectNode policy = Json.object().put("format_version", 1).put("type", EstimatedStateConfig.POLICY).put("env", env);
            features.names().forEach(policy.putArray("estimate")::add);
            if (!features.relativeTo().isEmpty()) {
                features.relativeTo().forEach(policy.putObject(EstimatedStatePolicy.RELATIVE_TO)::put);
            }
            RunDirectory.writeAtomically(run.policy(), Json.pretty(policy));
            // Last: config.json is what makes the folder a run, so a failure above leaves nothing to resume.
            RunDirectory.writeAtomically(run.config(), Json.pretty(c.toTree()));
        } catch (IOException e) {
            throw new KibanException(run.root() + ": cannot write the run: " + e.getMessage(), e);
        }
    }

    /** The estimator's data lineage, and where the state policy came from and was trained on. */
    private static void writeLineage(RunDirectory run, RunDirectory estimator, EstimatedStateConfig c) {
        ObjectNode lineage = ((ObjectNode) Json.readTree(estimator.lineage())).deepCopy();
        lineage.put("state_policy", c.statePolicy());
        lineage.put("state_policy_retrained_on_estimates", c.retrainStatePolicy());
        Path copied = new RunDirectory(run.root().resolve(EstimatedStatePolicy.STATE_POLICY)).lineage();
        if (Files.isRegularFile(copied)) {
            lineage.set("state_policy_lineage", Json.readTree(copied));
        }
        RunDirectory.writeAtomically(run.lineage(), Json.pretty(lineage));
    }

    /** Copies a training run without its older checkpoints: what loading it reads. */
    private static void copyRun(Path from, Path to) throws IOException {
        RunDirectory source = new RunDirectory(from);
        Path newest = source.latestCheckpoint().orElseThrow();
        Path checkpoints = source.checkpoints();
        List<Path> files;
        try (Stream<Path> s = Files.walk(from)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(checkpoints) || p.startsWith(newest) || p.getParent().equals(checkpoints))
                    .toList();
        }
        for (Path f : files) {
            Path target = to.resolve(from.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.copy(f, target);
        }
        // "latest" may name a checkpoint an older copy kept; point it at the one copied.
        RunDirectory.writeAtomically(to.resolve("checkpoints").resolve("latest"), newest.getFileName().toString());
    }

    /** The data with each frame's action replaced by its estimated features: the estimator's regression targets. */
    static TrainingData asTargets(TrainingData data, EstimatedFeatures features) {
        return new TrainingData(data.observation(), features.targets(), targets(data.train(), features),
                targets(data.validation(), features), data.source(), data.contentHash(), data.images());
    }

    private static List<Episode> targets(List<Episode> episodes, EstimatedFeatures features) {
        List<Episode> out = new ArrayList<>();
        for (Episode e : episodes) {
            double[][] t = new double[e.length()][];
            for (int i = 0; i < t.length; i++) {
                t[i] = features.target(e.observations()[i]);
            }
            // The estimator reads the frame, not the task: every instruction dropped.
            out.add(new Episode(e.observations(), t, e.images(), e.instructions()).withInstruction(""));
        }
        return out;
    }

    private static TrainOutcome outcome(Path out, TrainingData data, Trained t, Optional<PolicyTrainer.Result> retrained) {
        PolicyTrainer.Result r = t.result();
        List<EstimateError> errors = t.heldOut();
        ObjectNode n = Json.object().put("run", out.toString()).put("policy", EstimatedStateConfig.POLICY)
                .put("steps", r.steps()).put("final_loss", r.finalLoss()).put("steps_per_second", r.stepsPerSecond())
                .put("train_episodes", data.train().size()).put("validation_episodes", data.validation().size());
        if (Double.isFinite(r.validationLoss())) {
            n.put("validation_loss", r.validationLoss());
        }
        ObjectNode held = n.putObject("held_out_error");
        errors.forEach(e -> e.write(held.putObject(e.feature())));
        n.put("checkpoint", String.valueOf(r.checkpoint()));
        List<String> lines = new ArrayList<>();
        if (!r.trained()) {
            lines.add(String.format("the run in %s already reached %d steps; nothing to train (pass a larger --steps to train on)",
                    out, r.steps()));
        } else {
            lines.add(String.format("trained the estimator for %d steps%s on %d episodes: loss %.4f, %.1f steps/s", r.steps(),
                    r.firstStep() > 0 ? " (from step " + r.firstStep() + ")" : "", data.train().size(), r.finalLoss(),
                    r.stepsPerSecond()));
        }
        if (errors.isEmpty()) {
            lines.add("no held-out error: no episodes held out (validation_fraction 0)");
        } else {
            lines.add("held-out error on " + data.validation().size() + " episodes:");
            errors.forEach(e -> lines.add("  " + e));
        }
        retrained.ifPresent(s -> {
            ObjectNode o = n.putObject("state_policy_retrained").put("steps", s.steps()).put("final_loss", s.finalLoss());
            if (Double.isFinite(s.validationLoss())) {
                o.put("validation_loss", s.validationLoss());
            }
            lines.add(String.format("trained the state policy again on the estimator's readings: %d steps, loss %.4f%s",
                    s.steps(), s.finalLoss(), Double.isFinite(s.validationLoss())
                            ? String.format(", validation loss %.4f", s.validationLoss()) : ""));
        });
        lines.add("checkpoint: " + Optional.ofNullable(r.checkpoint()).map(Path::toString).orElse("none"));
        return new TrainOutcome(lines, n);
    }
}
