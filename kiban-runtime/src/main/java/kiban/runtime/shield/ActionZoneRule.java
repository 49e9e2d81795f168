package kiban.runtime.shield;

import java.util.Arrays;
import java.util.List;

/**
 * Action features' workspace boxes clip the aim into the box; keep-out boxes move it out across
 * the nearest face that lies within the feature's range, and stop the machine when there is none.
 */
final class ActionZoneRule implements ShieldRule {

    private final List<ZoneRule> zones;
    private final double[] low;
    private final double[] high;
    private final double[] before;

    ActionZoneRule(List<ZoneRule> zones, double[] low, double[] high) {
        this.zones = List.copyOf(zones);
        this.low = low;
        this.high = high;
        this.before = new double[low.length];
    }

    @Override
    public void apply(ShieldCycle c) {
        for (ZoneRule z : zones) {
            System.arraycopy(c.target, 0, before, 0, before.length);
            boolean projected = z.project(c.target, low, high);
            if (!projected) {
                c.stop(z.reason(), z.zone.name());
                return;
            }
            if (!Arrays.equals(before, c.target)) {
                c.flag(z.reason(), z.zone.name());
            }
        }
    }
}
