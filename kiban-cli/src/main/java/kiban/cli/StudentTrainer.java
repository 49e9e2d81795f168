package kiban.cli;

import java.nio.file.Path;
import java.util.Optional;
import kiban.core.error.KibanException;
import kiban.core.json.Json;
import kiban.core.progress.Progress;
import kiban.policy.data.DatasetEpisodes;
import kiban.policy.data.TrainingData;
import kiban.policy.run.RunDirectory;
import kiban.policy.run.RunKinds;
import kiban.policy.run.TrainConfig;
import kiban.policy.train.PolicyTrainer;
import kiban.policy.train.TrainOutcome;
import kiban.policy.train.TrainRequest;
import kiban.policy.train.TrainingKind;
import kiban.policy.train.TrainingKinds;

/**
 * How DAgger trains each new student as the first was trained: through {@link PolicyTrainer} with
 * the first run's config, or, for a type that trains through its own trainer (an
 * {@code estimated-state} run: its estimator, then its state policy on the estimator's readings),
 * through that {@link TrainingKind} with the first run's config file.
 */
sealed interface StudentTrainer {

    /** The policy type, for the progress bar and errors. */
    String policy();

    /** Whether the students read camera images, so that DAgger records the frames they see. */
    boolean readsImages();

    /** Trains a new student in {@code student} on the dataset {@code data}; its final training loss. */
    double train(Path data, Path student, int round);

    /** The trainer of {@code first}'s students, each trained for {@code steps} (empty: as many as {@code first}). */
    static StudentTrainer of(RunDirectory first, Optional<Long> steps) {
        String type = Json.readTree(first.config()).path("policy").asText();
        Optional<TrainingKind> kind = TrainingKinds.of(type);
        if (kind.isPresent()) {
            // The run's files say whether it reads cameras; loading its networks to ask would be wasted.
            boolean images = RunKinds.of(first.root()).orElseThrow(() -> new KibanException(first.root() + " is not a "
                    + type + " run: it has no policy.json of that type")).embodiments(first.root()).stream()
                    .anyMatch(e -> !e.metadata().images().isEmpty());
            return new OwnTraining(kind.get(), first.config(), steps, images);
        }
        TrainConfig config = TrainConfig.of(first);
        return new WithConfig(steps.isEmpty() ? config : config.with(t -> t.put("steps", steps.get())));
    }

    record WithConfig(TrainConfig config) implements StudentTrainer {

        @Override
        public String policy() {
            return config.policy();
        }

        @Override
        public boolean readsImages() {
            return !config.imageFeatures().isEmpty();
        }

        @Override
        public double train(Path data, Path student, int round) {
            TrainingData loaded = DatasetEpisodes.load(data, config.validationFraction(), config.imageFeatures());
            try (Progress p = Progress.start("dagger round " + round + " train " + config.policy(), "steps", config.steps(), true)) {
                return new PolicyTrainer(config, loaded, new RunDirectory(student)).train(false, p).finalLoss();
            }
        }
    }

    /** {@code configFile} is the first run's own config.json, which its kind reads as {@code kiban train --config}. */
    record OwnTraining(TrainingKind kind, Path configFile, Optional<Long> steps, boolean readsImages) implements StudentTrainer {

        @Override
        public String policy() {
            return kind.policy();
        }

        @Override
        public double train(Path data, Path student, int round) {
            TrainOutcome o = kind.train(new TrainRequest(new RunDirectory(student), Optional.of(data), Optional.empty(),
                    Optional.of(configFile), steps, Optional.empty(), Optional.empty(), false, false));
            return o.json().path("final_loss").asDouble(Double.NaN);
        }
    }
}
