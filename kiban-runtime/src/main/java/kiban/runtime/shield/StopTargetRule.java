package kiban.runtime.shield;

import kiban.core.embodiment.StopMode;

/**
 * A stop aims at the embodiment's {@link StopMode} target: zero clipped into each range, or the last
 * command sent held. A hold before any command was sent has nothing to hold: nothing is sent.
 * The motion limits still apply, so a stop is itself inside the envelope.
 */
final class StopTargetRule implements ShieldRule {

    private final StopMode mode;
    private final double[] zero;
    private final MotionLimiter limiter;

    StopTargetRule(StopMode mode, double[] zero, MotionLimiter limiter) {
        this.mode = mode;
        this.zero = zero;
        this.limiter = limiter;
    }

    @Override
    public void apply(ShieldCycle c) {
        if (!c.stop) {
            return;
        }
        if (mode == StopMode.ZERO) {
            c.aim(zero);
        } else if (limiter.hasSent()) {
            c.aim(limiter.last());
        } else {
            c.nothingToSend = true;
        }
    }
}
