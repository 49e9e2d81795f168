/**
 * Training samples from LeRobot datasets: windows of observation history and action chunks at
 * LeRobot's {@code delta_timestamps}, padded at episode edges with pad masks; seeded shuffling,
 * multi-threaded prefetch, weighted mixtures and train/validation splits by episode; for training
 * runs, an endless seeded order ({@link kiban.data.sample.ShuffledOrder}) that resumes exactly and a
 * prefetcher ({@link kiban.data.sample.Prefetcher}) that builds any batch type ahead on worker threads.
 */
package kiban.data.sample;
