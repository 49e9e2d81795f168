package kiban.runtime.shield;

import java.util.Arrays;

/**
 * One change the shield made to one cycle's command.
 *
 * @param cycle  the control cycle
 * @param reason why
 * @param detail the zone, feature or rule involved; empty when the reason says it all
 * @param before the proposed command (null when none came: a stalled policy; and for a reason the
 *               loop judged before the shield saw the cycle's command, {@link Reason#judgedByLoop()})
 * @param after  the command sent (null when nothing could be sent: a hold with no command to hold;
 *               and for a reason the loop judged)
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

    /** {@code cycle 12 watchdog: no command -> [0.0]}, or without the commands for a reason the loop judged. */
    @Override
    public String toString() {
        String head = "cycle " + cycle + " " + reason.wireName() + (detail.isEmpty() ? "" : " (" + detail + ")");
        if (reason.judgedByLoop() && before == null && after == null) {
            return head;
        }
        return head + ": " + (before == null ? "no command" : Arrays.toString(before)) + " -> "
                + (after == null ? "nothing sent" : Arrays.toString(after));
    }
}
