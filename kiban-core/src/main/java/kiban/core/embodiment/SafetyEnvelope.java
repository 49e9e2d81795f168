package kiban.core.embodiment;

import java.util.List;
import java.util.Map;

/**
 * The limits the runtime's safety shield enforces on top of each action feature's own range and
 * rate: acceleration and jerk limits per action feature, workspace boxes and keep-out zones,
 * and for vehicles a minimum time-to-collision and separation (NaN where they do not apply).
 *
 * @param watchdogCycles control cycles without a fresh command after which the machine is stopped
 */
public record SafetyEnvelope(
        int watchdogCycles,
        StopMode stopMode,
        Map<String, List<Double>> maxAcceleration,
        Map<String, List<Double>> maxJerk,
        List<Zone> workspace,
        List<Zone> keepOut,
        double minTimeToCollision,
        double minSeparation) {

    public static final int DEFAULT_WATCHDOG_CYCLES = 2;

    public SafetyEnvelope {
        maxAcceleration = Map.copyOf(maxAcceleration);
        maxJerk = Map.copyOf(maxJerk);
        workspace = List.copyOf(workspace);
        keepOut = List.copyOf(keepOut);
    }

    /** An envelope that adds nothing to the features' own limits. */
    public static SafetyEnvelope defaults() {
        return new SafetyEnvelope(
                DEFAULT_WATCHDOG_CYCLES, StopMode.HOLD, Map.of(), Map.of(), List.of(), List.of(), Double.NaN, Double.NaN);
    }
}
