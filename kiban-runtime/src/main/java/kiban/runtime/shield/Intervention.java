package kiban.runtime.shield;

import java.util.Arrays;

/**
 * One change the shield made to one cycle's command.
 *
 * @param cycle  the control cycle
 * @param reason why
 * @param detail the zone, feature or rule involved; empty when the reason says it all
 * @param before the proposed command (null when none came: a stalled policy)
 * @param after  the command sent (null when nothing could be sent: a hold with no command to hold)
 */
public record Intervention(long cycle, Reason reason, String detail, double[] before, double[] after) {

    public Intervention {
        before = before == null ? null : before.clone();
        after = after == null ? null : after.clone();
    }

    @Override
    public double[] before() {
        return before == null ? null : before.clone();
    }

    @Override
    public double[] after() {
        return after == null ? null : after.clone();
    }

    @Override
    public String toString() {
        return "cycle " + cycle + " " + reason.wireName() + (detail.isEmpty() ? "" : " (" + detail + ")") + ": "
                + Arrays.toString(before) + " -> " + Arrays.toString(after);
    }
}
