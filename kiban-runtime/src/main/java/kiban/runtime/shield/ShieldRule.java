package kiban.runtime.shield;

/**
 * One rule of the {@link SafetyShield}, applied to a cycle after the rules before it (the order is
 * stated once, in {@code SafetyShield}'s constructor). A rule reads and changes the
 * {@link ShieldCycle}: what to aim at, whether to stop, which reasons to report.
 */
interface ShieldRule {

    void apply(ShieldCycle c);
}
