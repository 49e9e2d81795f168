/**
 * From recorded episodes to training batches: observation encoding (normalisation, periodic
 * angles as sine and cosine), windows of observation history and action chunks with pad masks,
 * and seeded shuffling.
 */
package kiban.policy.data;
