package kiban.health.failures;

import java.nio.file.Path;

/**
 * A trained network's predictions on the failures of a data file given to {@code kiban health eval}.
 *
 * @param trainingData whether the file is the one the network was trained on (same SHA-256), in
 *     which case the accuracy is a training figure, not an estimate of accuracy on new failures
 */
public record HeldOutResult(LearningProblem problem, Path file, ConfusionMatrix matrix, boolean trainingData) {}
