package kiban.runtime.shield;

import kiban.core.embodiment.Zone;

/**
 * One workspace box or keep-out zone, compiled against the feature layout. How it is enforced
 * depends on what the zone's feature is: an action feature is projected into (or out of) the box;
 * a state feature with a {@link ForwardModel} is checked on the predicted result of each command;
 * any other state feature is checked as observed, and a breach stops the machine.
 */
final class ZoneRule {

    enum Kind { ACTION, PREDICTED, OBSERVED }

    final Zone zone;
    final boolean keepOut;
    final Kind kind;
    final int offset;
    final ForwardModel model;
    private final double[] min;
    private final double[] max;
    private final double[] point;

    ZoneRule(Zone zone, boolean keepOut, Kind kind, int offset, ForwardModel model) {
        this.zone = zone;
        this.keepOut = keepOut;
        this.kind = kind;
        this.offset = offset;
        this.model = model;
        this.min = zone.min().stream().mapToDouble(Double::doubleValue).toArray();
        this.max = zone.max().stream().mapToDouble(Double::doubleValue).toArray();
        this.point = new double[min.length];
    }

    Reason reason() {
        return keepOut ? Reason.KEEP_OUT : Reason.WORKSPACE;
    }

    /** True when the observed (OBSERVED) or predicted (PREDICTED) feature breaches the zone; non-finite values breach. */
    boolean breached(double[] observation, double[] command) {
        if (kind == Kind.PREDICTED) {
            model.predict(command, point);
        } else {
            System.arraycopy(observation, offset, point, 0, point.length);
        }
        return breaches(point, 0);
    }

    /**
     * For an ACTION keep-out box: whether moving the command from {@code from} to {@code to} (in a
     * straight line, as a set-point machine travels) passes through the box; non-finite values count
     * as passing. A command already inside the box may leave it: then only where it ends counts.
     */
    boolean crossedBy(double[] from, double[] to) {
        if (breaches(from, offset)) {
            return breaches(to, offset); // inside already (or not finite): leaving is allowed, nothing else
        }
        double enter = 0;
        double exit = 1;
        for (int i = 0; i < min.length; i++) {
            double p = from[offset + i];
            double q = to[offset + i];
            if (!Double.isFinite(q)) {
                return true;
            }
            double d = q - p;
            if (d == 0) {
                if (p < min[i] || p > max[i]) {
                    return false; // moves parallel to this slab, outside it
                }
                continue;
            }
            double t1 = (min[i] - p) / d;
            double t2 = (max[i] - p) / d;
            enter = Math.max(enter, Math.min(t1, t2));
            exit = Math.min(exit, Math.max(t1, t2));
            if (enter > exit) {
                return false;
            }
        }
        return true;
    }

    private boolean breaches(double[] v, int from) {
        boolean inside = true;
        for (int i = 0; i < min.length; i++) {
            double x = v[from + i];
            if (!Double.isFinite(x)) {
                return true;
            }
            inside &= x >= min[i] && x <= max[i];
        }
        return keepOut == inside;
    }

    /**
     * Moves an ACTION zone's elements of {@code command} into the workspace box, or out of the
     * keep-out box across its nearest face that lies within {@code low..high}; returns false
     * when no such face exists (the command must then be stopped).
     */
    boolean project(double[] command, double[] low, double[] high) {
        if (!keepOut) {
            for (int i = 0; i < min.length; i++) {
                command[offset + i] = MotionLimiter.clamp(command[offset + i], min[i], max[i]);
            }
            return true;
        }
        if (!breaches(command, offset)) {
            return true;
        }
        int best = -1;
        double bestValue = 0;
        double bestMove = Double.POSITIVE_INFINITY;
        for (int i = 0; i < min.length; i++) {
            double x = command[offset + i];
            double below = Math.nextDown(min[i]);
            double above = Math.nextUp(max[i]);
            if (below >= low[offset + i] && x - below < bestMove) {
                best = i;
                bestValue = below;
                bestMove = x - below;
            }
            if (above <= high[offset + i] && above - x < bestMove) {
                best = i;
                bestValue = above;
                bestMove = above - x;
            }
        }
        if (best < 0) {
            return false;
        }
        command[offset + best] = bestValue;
        return true;
    }
}
