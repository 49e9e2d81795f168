package kiban.health.watch;

/**
 * An alarm with hysteresis: it is raised when the watched value reaches {@code raiseAt} and
 * cleared only when the value falls below the lower {@code clearBelow}, so a value hovering
 * around one threshold does not flap the alarm on and off.
 */
public final class Hysteresis {

    /** What an update did to the alarm. */
    public enum Change { NONE, RAISED, CLEARED }

    private final double raiseAt;
    private final double clearBelow;
    private boolean active;

    public Hysteresis(double raiseAt, double clearBelow) {
        if (!(clearBelow < raiseAt) || !Double.isFinite(raiseAt) || !Double.isFinite(clearBelow)) {
            throw new IllegalArgumentException("the clear level must lie below the raise level, got raise " + raiseAt
                    + " and clear " + clearBelow);
        }
        this.raiseAt = raiseAt;
        this.clearBelow = clearBelow;
    }

    /** Takes the newest value; a NaN value changes nothing. */
    public Change update(double value) {
        if (!active && value >= raiseAt) {
            active = true;
            return Change.RAISED;
        }
        if (active && value < clearBelow) {
            active = false;
            return Change.CLEARED;
        }
        return Change.NONE;
    }

    public boolean active() {
        return active;
    }

    public double raiseAt() {
        return raiseAt;
    }

    public double clearBelow() {
        return clearBelow;
    }
}
