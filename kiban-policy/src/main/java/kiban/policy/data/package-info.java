/**
 * From recorded episodes to training batches: observation encoding (normalisation, periodic
 * angles as sine and cosine, camera frames as CHW values in [0, 1], cropped and colour-jittered
 * for training by {@link kiban.policy.data.ImageAugmentation}, instructions as hashed word
 * counts with {@link kiban.policy.data.InstructionFeatures}), and windows of observation
 * history and action chunks with pad masks,
 * built by kiban-data's sampling parts (frame index and padding rule, seeded shuffled order,
 * multi-threaded prefetch).
 */
package kiban.policy.data;
