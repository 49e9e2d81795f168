package kiban.policy.data;

/**
 * A training batch, row-major: encoded observation histories {@code (size, observationInputs)},
 * normalised action chunks {@code (size, horizon * actionDim)} and their mask (1 real, 0 padding
 * past the episode's end) laid out as the actions.
 */
public record Batch(int size, float[] observations, float[] actions, float[] mask) {}
