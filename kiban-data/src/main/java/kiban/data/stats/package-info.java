/**
 * Dataset statistics: a one-pass, bounded-memory accumulator ({@link kiban.data.stats.RunningStats}),
 * the pooled aggregation of per-episode stats, and LeRobot's {@code stats.json} layout.
 */
package kiban.data.stats;
