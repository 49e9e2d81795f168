package kiban.runtime.shield;

/**
 * Chooses what the cycle aims at from the policy's command. A fresh, finite command of the right
 * length is the aim. A missing one holds the last command sent; after the watchdog's cycles without
 * a fresh one, the fallback policy takes over if there is one, else the machine stops. A non-finite
 * or misshapen one goes to the fallback at once, else stops.
 */
final class CommandRule implements ShieldRule {

    private final int dim;
    private final int watchdogCycles;
    private final FallbackPolicy fallback;
    private final MotionLimiter limiter;
    /** Cycles since the last fresh, valid command. */
    private int withoutCommand;

    CommandRule(int dim, int watchdogCycles, FallbackPolicy fallback, MotionLimiter limiter) {
        this.dim = dim;
        this.watchdogCycles = watchdogCycles;
        this.fallback = fallback;
        this.limiter = limiter;
    }

    @Override
    public void apply(ShieldCycle c) {
        if (c.proposed == null) {
            missing(c);
        } else if (c.proposed.length != dim || !SafetyShield.finite(c.proposed)) {
            invalid(c);
        } else {
            withoutCommand = 0;
            c.aim(c.proposed);
        }
    }

    private void missing(ShieldCycle c) {
        withoutCommand++;
        if (withoutCommand >= watchdogCycles) {
            if (!takeFallback(c, Reason.WATCHDOG)) {
                c.stop(Reason.WATCHDOG, "");
            }
        } else if (limiter.hasSent()) {
            c.aim(limiter.last());
        } else {
            c.stop(null, ""); // nothing sent yet, so nothing to hold: the stop target decides
        }
    }

    private void invalid(ShieldCycle c) {
        withoutCommand++;
        if (!takeFallback(c, Reason.NON_FINITE)) {
            c.stop(Reason.NON_FINITE, c.proposed.length != dim ? c.proposed.length + " elements, expected " + dim : "");
        }
    }

    /** Aims at the fallback policy's command for the observation; false when there is no usable one. */
    private boolean takeFallback(ShieldCycle c, Reason why) {
        if (fallback == null) {
            return false;
        }
        double[] a = fallback.act(c.observation);
        if (a == null || a.length != dim || !SafetyShield.finite(a)) {
            return false;
        }
        c.aim(a);
        c.flag(Reason.FALLBACK, why.wireName());
        return true;
    }

    /** A fresh command came from elsewhere (an operator's take-over), or the history was reset. */
    void reset() {
        withoutCommand = 0;
    }
}
