package kiban.runtime.shield;

import java.util.List;

/**
 * A limited command whose predicted result ({@link ForwardModel}) breaches a zone, or whose way from
 * the last command (the machine's set point) passes through an action keep-out box, is replaced by
 * an exact hold of the last command sent, also while stopping. A single step may be longer than the
 * box, so the whole segment counts, not only where it ends. Zones win over the acceleration limit: entering a
 * keep-out zone or leaving the reach is worse than a hard stop of the command.
 */
final class ZoneHoldRule implements ShieldRule {

    private final List<ZoneRule> predicted;
    private final List<ZoneRule> actionKeepOut;
    private final MotionLimiter limiter;

    ZoneHoldRule(List<ZoneRule> predicted, List<ZoneRule> actionZones, MotionLimiter limiter) {
        this.predicted = List.copyOf(predicted);
        this.actionKeepOut = actionZones.stream().filter(z -> z.keepOut).toList();
        this.limiter = limiter;
    }

    @Override
    public void apply(ShieldCycle c) {
        ZoneRule hold = breached(c);
        if (hold == null) {
            return;
        }
        c.flag(hold.reason(), hold.zone.name());
        c.bits &= ~MotionLimitRule.REASONS; // the hold replaced the limited command
        if (limiter.hasSent()) {
            System.arraycopy(limiter.last(), 0, c.out, 0, c.out.length);
        } else {
            c.nothingToSend = true;
        }
    }

    private ZoneRule breached(ShieldCycle c) {
        for (ZoneRule z : predicted) {
            if (z.breached(c.observation, c.out)) {
                return z;
            }
        }
        for (ZoneRule z : actionKeepOut) {
            if (limiter.history() > 0 ? z.crossedBy(limiter.last(), c.out) : z.breached(c.out, null)) {
                return z;
            }
        }
        return null;
    }
}
