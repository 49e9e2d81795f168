package kiban.runtime.shield;

/**
 * Shapes the aim into the command to send with the {@link MotionLimiter}: position range, jerk,
 * acceleration and rate. Its clamps are interventions except during a stop, whose ramp is part of
 * the stop.
 */
final class MotionLimitRule implements ShieldRule {

    /** The reasons the limiter reports; a zone hold takes them back. */
    static final long REASONS = Reason.POSITION_LIMIT.bit() | Reason.JERK_LIMIT.bit() | Reason.ACCELERATION_LIMIT.bit()
            | Reason.RATE_LIMIT.bit();

    private final MotionLimiter limiter;

    MotionLimitRule(MotionLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void apply(ShieldCycle c) {
        long limits = limiter.limit(c.target, c.out);
        if (!c.stop) {
            c.bits |= limits;
        }
    }
}
