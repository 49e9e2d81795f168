package kiban.runtime.loop;

import kiban.core.error.InvalidInputException;

/**
 * How the control loop runs.
 *
 * @param hz            cycles per second of wall-clock time, 10..1000
 * @param cycles        cycles to run
 * @param blend         how chunk boundaries are blended
 * @param inferEvery    cycles between inference requests (1: every cycle, as temporal ensembling wants;
 *                      a chunking policy's action steps otherwise); a request waits while one is in flight
 * @param decay         temporal ensembling's weight decay
 * @param crossfade     cycles over which a new chunk fades in (CROSSFADE)
 * @param spinNanos     how long before each deadline the pacer stops parking and spins
 * @param waitFraction  the share of a period the loop may wait for a chunk it just asked for, so a fast
 *                      policy's chunk starts on the cycle it observed; a slower one is picked up later
 */
public record LoopConfig(double hz, long cycles, ChunkQueue.Blend blend, int inferEvery, double decay, int crossfade,
        long spinNanos, double waitFraction) {

    public static final double MIN_HZ = 10;
    public static final double MAX_HZ = 1000;
    public static final int DEFAULT_CROSSFADE = 3;
    /** Half a period: the other half is left for reading, shielding and commanding. */
    public static final double DEFAULT_WAIT_FRACTION = 0.5;

    public LoopConfig {
        if (!(hz >= MIN_HZ && hz <= MAX_HZ)) {
            throw new InvalidInputException("--hz", "", "a rate from " + (int) MIN_HZ + " to " + (int) MAX_HZ + " Hz", String.valueOf(hz));
        }
        if (cycles < 1) {
            throw new InvalidInputException("--duration", "", "at least one cycle", cycles + " cycles");
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
        return new LoopConfig(hz, Math.max(1, Math.round(seconds * hz)), blend, inferEvery,
                kiban.core.policy.TemporalEnsembler.DEFAULT_DECAY, DEFAULT_CROSSFADE, Pacer.DEFAULT_SPIN_NANOS, DEFAULT_WAIT_FRACTION);
    }

    public long periodNanos() {
        return Math.round(1e9 / hz);
    }
}
