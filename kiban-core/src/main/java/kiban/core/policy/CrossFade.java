package kiban.core.policy;

/**
 * How a new action chunk fades in from the one it replaces: at the new chunk's {@code k}-th step
 * ({@code k} from 1) the row is {@code w * new + (1 - w) * old}, with {@code w = k / (steps + 1)}.
 * One definition for {@code kiban eval --execution crossfade} ({@link ActionChunkBroker}) and
 * {@code kiban run}'s chunk queue, so that the figures of the one describe the other.
 */
public final class CrossFade {

    private CrossFade() {}

    /** Writes the blend at the fade's {@code k}-th of {@code steps} steps into {@code out}, which may be {@code newer} itself. */
    public static void blend(double[] older, double[] newer, long k, int steps, double[] out) {
        double w = k / (steps + 1.0);
        for (int j = 0; j < out.length; j++) {
            out[j] = (1 - w) * older[j] + w * newer[j];
        }
    }
}
