package kiban.runtime.loop;

import kiban.core.error.InvalidInputException;
import kiban.core.policy.GuidanceMask;

/**
 * How the control loop runs.
 *
 * @param hz              cycles per second of wall-clock time, 0.1..1000
 * @param cycles          cycles to run
 * @param blend           how chunk boundaries are blended
 * @param inferEvery      cycles between inference requests (1: every cycle, as temporal ensembling wants;
 *                        a chunking policy's action steps otherwise); a request waits while one is in flight
 * @param decay           temporal ensembling's weight decay
 * @param crossfade       cycles over which a new chunk fades in (CROSSFADE)
 * @param spinNanos       how long before each deadline the pacer stops parking and spins
 * @param waitFraction    the share of a period the loop may wait for a chunk it just asked for, so a fast
 *                        policy's chunk starts on the cycle it observed; a slower one is picked up later
 * @param staleAfter      control periods after which a reading counts as lost (a {@code stale}
 *                        intervention: the shield holds, then the watchdog stops)
 * @param maxFailedCommands commands in a row the machine may fail to apply before the loop stops it and ends the run
 * @param onRecordFailure what the loop does when a listener (the recorder) fails: warn and go on, or end the run
 * @param rtcMask         with real-time chunking ({@link ChunkQueue.Blend#CONTINUE}), which rows of the running chunk
 *                        guide the next: the frozen ones only, or those and then the rest with falling weights
 */
public record LoopConfig(double hz, long cycles, ChunkQueue.Blend blend, int inferEvery, double decay, int crossfade,
        long spinNanos, double waitFraction, double staleAfter, int maxFailedCommands, OnFailure onRecordFailure,
        GuidanceMask rtcMask) {

    /** What the loop does when its recording fails. */
    public enum OnFailure {
        /** Print a warning, count a {@code recording_failed} intervention, and drive on without the recording. */
        WARN,
        /** The same, then stop the machine and end the run. */
        STOP;

        /** Parses {@code warn} or {@code stop}, naming {@code option} when it is neither. */
        public static OnFailure parse(String value, String option) {
            return switch (value == null ? "" : value) {
                case "warn" -> WARN;
                case "stop" -> STOP;
                default -> throw new InvalidInputException(option, "", "warn or stop", "'" + value + "'");
            };
        }
    }

    public static final double MIN_HZ = 0.1;
    public static final double MAX_HZ = 1000;
    /** As {@code kiban eval --execution crossfade} fades chunks in, so that its figures describe the loop's. */
    public static final int DEFAULT_CROSSFADE = kiban.core.policy.ChunkExecutor.DEFAULT_CROSSFADE;
    /** Half a period: the other half is left for reading, shielding and commanding. */
    public static final double DEFAULT_WAIT_FRACTION = 0.5;
    /** A reading three periods old has missed two updates: something upstream froze. */
    public static final double DEFAULT_STALE_AFTER = 3;
    public static final double MIN_STALE_AFTER = 1;
    public static final double MAX_STALE_AFTER = 10_000;
    /** Three failed commands in a row: not a dropped packet any more, the machine is not following. */
    public static final int DEFAULT_MAX_FAILED_COMMANDS = 3;
    public static final int MAX_MAX_FAILED_COMMANDS = 1_000_000;

    public LoopConfig {
        if (!(hz >= MIN_HZ && hz <= MAX_HZ)) {
            throw new InvalidInputException("--hz", "", "a rate from " + MIN_HZ + " to " + (int) MAX_HZ + " Hz", String.valueOf(hz));
        }
        if (cycles < 1) {
            throw new InvalidInputException("--duration", "", "at least one cycle", cycles + " cycles");
        }
        if (!(staleAfter >= MIN_STALE_AFTER && staleAfter <= MAX_STALE_AFTER)) {
            throw new InvalidInputException("--stale-after", "", "a number of control periods from " + (int) MIN_STALE_AFTER
                    + " to " + (int) MAX_STALE_AFTER, String.valueOf(staleAfter));
        }
        if (maxFailedCommands < 1 || maxFailedCommands > MAX_MAX_FAILED_COMMANDS) {
            throw new InvalidInputException("--max-failed-commands", "", "a count from 1 to " + MAX_MAX_FAILED_COMMANDS,
                    String.valueOf(maxFailedCommands));
        }
        if (onRecordFailure == null || rtcMask == null) {
            throw new IllegalArgumentException("onRecordFailure and rtcMask must be given");
        }
        if (inferEvery < 1 || crossfade < 0 || !(decay >= 0) || spinNanos < 0 || !(waitFraction >= 0 && waitFraction < 1)) {
            throw new IllegalArgumentException("need inferEvery >= 1, crossfade >= 0, decay >= 0, spinNanos >= 0, 0 <= waitFraction < 1");
        }
    }

    /** {@code seconds} at {@code hz}, with the given blending and the defaults elsewhere. */
    public static LoopConfig of(double hz, double seconds, ChunkQueue.Blend blend, int inferEvery) {
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            throw new InvalidInputException("--duration", "", "a positive number of seconds", String.valueOf(seconds));
        }
        return ofCycles(hz, Math.max(1, Math.round(seconds * hz)), blend, inferEvery);
    }

    /** {@code cycles} at {@code hz}, with the given blending and the defaults elsewhere. */
    public static LoopConfig ofCycles(double hz, long cycles, ChunkQueue.Blend blend, int inferEvery) {
        return new LoopConfig(hz, cycles, blend, inferEvery, kiban.core.policy.TemporalEnsembler.DEFAULT_DECAY, DEFAULT_CROSSFADE,
                Pacer.DEFAULT_SPIN_NANOS, DEFAULT_WAIT_FRACTION, DEFAULT_STALE_AFTER, DEFAULT_MAX_FAILED_COMMANDS, OnFailure.WARN,
                GuidanceMask.HARD);
    }

    /** This config with readings older than {@code periods} control periods counted as lost. */
    public LoopConfig withStaleAfter(double periods) {
        return new LoopConfig(hz, cycles, blend, inferEvery, decay, crossfade, spinNanos, waitFraction, periods, maxFailedCommands,
                onRecordFailure, rtcMask);
    }

    /** This config ending the run after {@code count} failed commands in a row. */
    public LoopConfig withMaxFailedCommands(int count) {
        return new LoopConfig(hz, cycles, blend, inferEvery, decay, crossfade, spinNanos, waitFraction, staleAfter, count,
                onRecordFailure, rtcMask);
    }

    public LoopConfig withOnRecordFailure(OnFailure policy) {
        return new LoopConfig(hz, cycles, blend, inferEvery, decay, crossfade, spinNanos, waitFraction, staleAfter, maxFailedCommands,
                policy, rtcMask);
    }

    /** This config with the given chunk blending parameters. */
    public LoopConfig withBlending(double decay, int crossfade) {
        return new LoopConfig(hz, cycles, blend, inferEvery, decay, crossfade, spinNanos, waitFraction, staleAfter, maxFailedCommands,
                onRecordFailure, rtcMask);
    }

    /** This config guiding real-time chunking with {@code mask}. */
    public LoopConfig withRtcMask(GuidanceMask mask) {
        return new LoopConfig(hz, cycles, blend, inferEvery, decay, crossfade, spinNanos, waitFraction, staleAfter, maxFailedCommands,
                onRecordFailure, mask);
    }

    public long periodNanos() {
        return Math.round(1e9 / hz);
    }

    /** How old a reading may be before it counts as lost. */
    public long staleAfterNanos() {
        return Math.round(staleAfter * periodNanos());
    }
}
