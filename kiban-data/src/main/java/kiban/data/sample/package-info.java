/**
 * Training samples from LeRobot datasets: windows of observation history and action chunks at
 * LeRobot's {@code delta_timestamps}, padded at episode edges with pad masks; seeded shuffling,
 * multi-threaded prefetch, weighted mixtures and train/validation splits by episode.
 */
package kiban.data.sample;
