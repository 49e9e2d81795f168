package kiban.runtime.shield;

import java.util.List;

/**
 * A state feature the machine observes but no command predicts (the factory cell's temperature)
 * outside its workspace box or inside a keep-out zone stops the machine while it lasts; a
 * non-finite value counts as a breach.
 */
final class ObservedZoneRule implements ShieldRule {

    private final List<ZoneRule> zones;

    ObservedZoneRule(List<ZoneRule> zones) {
        this.zones = List.copyOf(zones);
    }

    @Override
    public void apply(ShieldCycle c) {
        for (ZoneRule z : zones) {
            if (z.breached(c.observation, null)) {
                c.stop(z.reason(), z.zone.name());
                return;
            }
        }
    }
}
