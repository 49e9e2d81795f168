package kiban.runtime.shield;

/**
 * A simple controller the shield switches to when the main policy's command is missing or
 * non-finite, before it resorts to a stop. Its commands pass the same limits.
 */
@FunctionalInterface
public interface FallbackPolicy {

    /** The command for the newest observation. */
    double[] act(double[] observation);
}
