package kiban.runtime.loop;

import java.util.List;
import java.util.Map;

/**
 * What a run of the control loop measured. Times are in nanoseconds; lateness is how long after
 * its deadline each cycle woke (the loop's jitter).
 *
 * @param cycles          cycles run (fewer than configured when the run was stopped)
 * @param skipped         deadlines passed over entirely because the loop woke more than a period late
 * @param overruns        cycles that ended after the next cycle's deadline
 * @param noCommand       cycles with no fresh action from the policy (the watchdog counts these)
 * @param expiredActions  chunk rows never executed because their cycle passed during inference
 * @param blend           how chunks were executed ({@link ChunkQueue.Blend#CONTINUE}: real-time chunking)
 * @param switches        with {@code CONTINUE}, chunks that replaced one they continued from its frozen rows
 * @param lateSwitches    of those, the ones that arrived after their frozen rows had run out (the
 *                        inference took longer than estimated): they started at a row sampled freely
 * @param interventions   the shield's interventions by reason
 * @param machineMetrics  the machine's figures (an env's episode metrics)
 * @param stopReason      why the run ended before its configured cycles (too many failed commands, a
 *                        failed recording with {@code stop}, a stop request); empty when it ran them all
 */
public record LoopReport(
        String machine,
        double hz,
        long cycles,
        long skipped,
        long overruns,
        double seconds,
        Percentiles lateness,
        Percentiles cycleTime,
        long inferences,
        Percentiles inferenceTime,
        long inferenceFailures,
        String firstFailure,
        long chunks,
        long expiredActions,
        ChunkQueue.Blend blend,
        long switches,
        long lateSwitches,
        long noCommand,
        long warnings,
        Map<String, Long> interventions,
        List<String> inactiveRules,
        Map<String, Double> machineMetrics,
        String stopReason) {

    public LoopReport {
        interventions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(interventions));
        inactiveRules = List.copyOf(inactiveRules);
        machineMetrics = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(machineMetrics));
        stopReason = stopReason == null ? "" : stopReason;
    }

    /** Whether the run ended before its configured cycles. */
    public boolean stoppedEarly() {
        return !stopReason.isEmpty();
    }

    /** p50, p99, p99.9 and maximum, in nanoseconds, of {@code count} values. */
    public record Percentiles(long count, long p50, long p99, long p999, long max) {

        public static Percentiles of(LatencyHistogram h) {
            return new Percentiles(h.count(), h.percentile(0.5), h.percentile(0.99), h.percentile(0.999), h.max());
        }
    }
}
