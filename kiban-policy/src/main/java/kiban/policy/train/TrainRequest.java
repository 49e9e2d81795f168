package kiban.policy.train;

import java.nio.file.Path;
import java.util.Optional;
import kiban.policy.run.RunDirectory;

/**
 * What {@code kiban train} was asked, for a {@link TrainingKind}: the run folder, the data (one
 * dataset, or a mixture as {@code DIR:WEIGHT[:EPISODES],...}), the config file and the flags that
 * override it (empty where not given, already checked to be positive), whether to resume, and
 * whether to ignore the frames' instructions.
 */
public record TrainRequest(RunDirectory run, Optional<Path> dataset, Optional<String> mix, Optional<Path> config,
        Optional<Long> steps, Optional<Integer> batch, Optional<Long> seed, boolean resume, boolean ignoreInstructions) {}
