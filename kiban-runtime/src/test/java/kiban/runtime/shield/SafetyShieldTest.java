package kiban.runtime.shield;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.EmbodimentRegistry;
import kiban.core.embodiment.EmbodimentSpec;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.embodiment.SafetyEnvelope;
import kiban.core.embodiment.StopMode;
import kiban.core.embodiment.Zone;
import kiban.runtime.sim.ArmForwardModel;
import kiban.sim.env.EnvRegistry;
import kiban.sim.env.EnvSpec;
import org.junit.jupiter.api.Test;

/** The shield's rules one by one, on the built-in embodiments where they apply. */
class SafetyShieldTest {

    private static final FeatureSpec A = new FeatureSpec("a", "m", List.of(2), List.of(), List.of(-1.0, -1.0), List.of(1.0, 1.0),
            List.of());
    private static final FeatureSpec S = new FeatureSpec("s", "m", List.of(2), List.of(), List.of(-1.0, -1.0), List.of(1.0, 1.0),
            List.of());

    private static SafetyEnvelope envelope(StopMode stop, List<Zone> workspace, List<Zone> keepOut) {
        return new SafetyEnvelope(2, stop, Map.of(), Map.of(), workspace, keepOut, Double.NaN, Double.NaN);
    }

    @Test
    void eStopLatchesUntilResetWithTheInputReleased() {
        List<Intervention> seen = new ArrayList<>();
        SafetyShield s = SafetyShield.builder(List.of(A), List.of(S), envelope(StopMode.ZERO, List.of(), List.of()))
                .setDt(0.1).optListener(seen::add).build();
        double[] obs = new double[2];
        assertThat(s.filter(0, new double[] {0.5, 0.5}, obs, false)).containsExactly(0.5, 0.5);
        assertThat(s.filter(1, new double[] {0.5, 0.5}, obs, true)).containsExactly(0.0, 0.0);
        assertThat(s.filter(2, new double[] {0.5, 0.5}, obs, false)).as("still latched").containsExactly(0.0, 0.0);
        assertThat(s.emergencyStopLatched()).isTrue();
        s.filter(3, new double[] {0.5, 0.5}, obs, true);
        assertThat(s.resetEmergencyStop()).as("refused while pressed").isFalse();
        s.filter(4, new double[] {0.5, 0.5}, obs, false);
        assertThat(s.resetEmergencyStop()).isTrue();
        assertThat(s.filter(5, new double[] {0.5, 0.5}, obs, false)).containsExactly(0.5, 0.5);
        assertThat(s.counts()).as("every latched cycle").containsEntry(Reason.ESTOP, 4L);
        assertThat(seen).extracting(Intervention::reason).containsOnly(Reason.ESTOP);
        assertThat(seen.getFirst().before()).containsExactly(0.5, 0.5);
        assertThat(seen.getFirst().after()).containsExactly(0.0, 0.0);
    }

    @Test
    void fallbackReplacesANonFiniteOrMissingCommand() {
        SafetyShield s = SafetyShield.builder(List.of(A), List.of(S), envelope(StopMode.ZERO, List.of(), List.of()))
                .setDt(0.1).optFallback(obs -> new double[] {0.25, -0.25}).build();
        double[] obs = new double[2];
        assertThat(s.filter(0, new double[] {Double.NaN, 0}, obs, false)).containsExactly(0.25, -0.25);
        assertThat(s.filter(1, null, obs, false)).containsExactly(0.25, -0.25);
        assertThat(s.counts()).containsEntry(Reason.FALLBACK, 2L).doesNotContainKey(Reason.NON_FINITE);
    }

    @Test
    void positionLimitsClipAndAreCounted() {
        SafetyShield s = SafetyShield.builder(List.of(A), List.of(S), envelope(StopMode.HOLD, List.of(), List.of())).setDt(0.1).build();
        assertThat(s.filter(0, new double[] {5, -1e300}, new double[2], false)).containsExactly(1.0, -1.0);
        assertThat(s.counts()).containsEntry(Reason.POSITION_LIMIT, 1L);
    }

    @Test
    void anActionKeepOutZoneIsLeftByItsNearestFace() {
        Zone box = new Zone("fixture", "a", List.of(-0.2, -0.2), List.of(0.2, 0.2));
        SafetyShield s = SafetyShield.builder(List.of(A), List.of(S), envelope(StopMode.HOLD, List.of(), List.of(box)))
                .setDt(0.1).build();
        double[] out = s.filter(0, new double[] {0.15, 0.0}, new double[2], false);
        assertThat(out[0]).isGreaterThan(0.2);
        assertThat(out[1]).isEqualTo(0.0);
        assertThat(s.counts()).containsEntry(Reason.KEEP_OUT, 1L);
    }

    @Test
    void aCommandMayNotJumpAcrossAnActionKeepOutBox() {
        Zone box = new Zone("fixture", "a", List.of(-0.2, -0.2), List.of(0.2, 0.2));
        SafetyShield s = SafetyShield.builder(List.of(A), List.of(S), envelope(StopMode.HOLD, List.of(), List.of(box)))
                .setDt(0.1).build();
        assertThat(s.filter(0, new double[] {-0.5, 0.0}, new double[2], false)).containsExactly(-0.5, 0.0);
        // both ends lie outside the box, but a machine going from one to the other passes through it
        assertThat(s.filter(1, new double[] {0.5, 0.0}, new double[2], false)).containsExactly(-0.5, 0.0);
        assertThat(s.lastReasons()).isEqualTo(Reason.KEEP_OUT.bit());
        // going around it is fine, one side at a time
        assertThat(s.filter(2, new double[] {-0.5, 0.5}, new double[2], false)).containsExactly(-0.5, 0.5);
        assertThat(s.filter(3, new double[] {0.5, 0.5}, new double[2], false)).containsExactly(0.5, 0.5);
    }

    @Test
    void aSeededShieldStartsItsRateLimitFromTheSetPoint() {
        FeatureSpec slow = new FeatureSpec("a", "m", List.of(2), List.of(), List.of(-1.0, -1.0), List.of(1.0, 1.0), List.of(0.5));
        SafetyShield s = SafetyShield.builder(List.of(slow), List.of(S), envelope(StopMode.HOLD, List.of(), List.of()))
                .setDt(0.1).build();
        assertThat(s.seed(new double[] {0.0, 0.0})).isTrue();
        assertThat(s.filter(0, new double[] {1.0, -1.0}, new double[2], false)).containsExactly(0.05, -0.05);
        assertThat(s.counts()).containsEntry(Reason.RATE_LIMIT, 1L);
        // a hold before any command was sent sends nothing: the machine holds its own set point
        SafetyShield idle = SafetyShield.builder(List.of(slow), List.of(S), envelope(StopMode.HOLD, List.of(), List.of()))
                .setDt(0.1).build();
        idle.seed(new double[] {0.3, 0.3});
        assertThat(idle.filter(0, null, new double[2], false)).isNull();
        assertThat(idle.seed(new double[] {Double.NaN, 0})).isFalse();
    }

    @Test
    void reasonsTheLoopNotesAreCountedOnceAndShowInTheCyclesBits() {
        List<Intervention> seen = new ArrayList<>();
        SafetyShield s = SafetyShield.builder(List.of(A), List.of(S), envelope(StopMode.HOLD, List.of(), List.of()))
                .setDt(0.1).optListener(seen::add).build();
        s.note(7, Reason.STALE, "reading 40.0 ms old, older than 30.0 ms");
        assertThat(s.filter(7, null, new double[2], false)).isNull();
        assertThat(s.lastReasons()).isEqualTo(Reason.STALE.bit());
        assertThat(s.filter(8, new double[] {5, 0}, new double[2], false)).containsExactly(1.0, 0.0);
        assertThat(s.lastReasons()).as("a note belongs to its own cycle").isEqualTo(Reason.POSITION_LIMIT.bit());
        assertThat(s.counts()).containsEntry(Reason.STALE, 1L).containsEntry(Reason.POSITION_LIMIT, 1L);
        assertThat(seen.getFirst()).hasToString("cycle 7 stale (reading 40.0 ms old, older than 30.0 ms)");
    }

    @Test
    void anInterventionWithoutCommandsSaysSoInWords() {
        assertThat(new Intervention(12, Reason.WATCHDOG, "", null, null)).hasToString("cycle 12 watchdog: no command -> nothing sent");
        assertThat(new Intervention(3, Reason.WATCHDOG, "", null, new double[] {0})).hasToString("cycle 3 watchdog: no command -> [0.0]");
        assertThat(new Intervention(4, Reason.RATE_LIMIT, "", new double[] {2}, new double[] {1}))
                .hasToString("cycle 4 rate_limit: [2.0] -> [1.0]");
    }

    @Test
    void pushtTargetStaysOnTheTable() {
        EnvSpec pusht = EnvRegistry.load().get("pusht").spec();
        SafetyShield s = SafetyShield.builder(pusht.action(), pusht.observation(), pusht.embodiment().safety()).setDt(0.1).build();
        double[] out = s.filter(0, new double[] {-40, 600}, new double[pusht.observationDim()], false);
        assertThat(out).containsExactly(0.0, 512.0);
        assertThat(s.inactiveRules()).isEmpty();
    }

    @Test
    void factoryCellStopsWhenTheMachineOverheats() {
        EnvSpec cell = EnvRegistry.load().get("factory-cell").spec();
        SafetyShield s = SafetyShield.builder(cell.action(), cell.observation(), cell.embodiment().safety()).setDt(1.0).build();
        double[] obs = new double[cell.observationDim()];
        obs[3] = 60; // temperature, degC
        assertThat(s.filter(0, new double[] {1.0, 1.0, 0}, obs, false)).containsExactly(1.0, 1.0, 0.0);
        obs[3] = 130;
        double[] out = s.filter(1, new double[] {1.0, 1.0, 0}, obs, false);
        assertThat(s.stopping()).isTrue();
        assertThat(s.counts()).containsEntry(Reason.KEEP_OUT, 1L);
        // the speeds ramp to zero at their max rate (0.5 per second, 1 s per command)
        assertThat(out).containsExactly(0.5, 0.5, 0.0);
        assertThat(s.filter(2, new double[] {1.0, 1.0, 0}, obs, false)).containsExactly(0.0, 0.0, 0.0);
    }

    @Test
    void vehicleBrakesForACarAheadClosingTooFast() {
        EnvSpec highway = EnvRegistry.load().get("highway").spec();
        SafetyShield s = SafetyShield.builder(highway.action(), highway.observation(), highway.embodiment().safety())
                .setDt(0.2).build();
        assertThat(s.inactiveRules()).isEmpty();
        double[] obs = new double[highway.observationDim()];
        int row = 4; // position(2), heading, speed, then the first nearby-vehicle row
        obs[row] = 1;
        obs[row + 1] = 30; // 25 m gap
        obs[row + 3] = -5; // closing at 5 m/s: ttc 5 s, fine
        assertThat(s.filter(0, new double[] {1.0, 0}, obs, false)).containsExactly(1.0, 0.0);
        obs[row + 3] = -20; // ttc 1.25 s < 1.5 s
        double[] out = s.filter(1, new double[] {1.0, 0}, obs, false);
        assertThat(out[0]).as("braking, at the jerk the vehicle allows (10 m/s^3 * 0.2 s)").isEqualTo(-1.0);
        assertThat(s.counts()).containsEntry(Reason.TIME_TO_COLLISION, 1L);
        obs[row + 1] = 6.5; // 1.5 m gap < 2 m
        obs[row + 3] = 0;
        s.filter(2, new double[] {1.0, 0}, obs, false);
        assertThat(s.counts()).containsEntry(Reason.SEPARATION, 1L);
        obs[row + 2] = 4; // the same car one lane over: no longer ahead of us
        s.filter(3, new double[] {1.0, 0}, obs, false);
        assertThat(s.lastReasons() & (Reason.SEPARATION.bit() | Reason.TIME_TO_COLLISION.bit())).isZero();
    }

    @Test
    void vehicleRulesAreReportedInactiveWithoutNearbyVehicles() {
        EmbodimentSpec vehicle = EmbodimentRegistry.withBuiltIns().get("vehicle");
        SafetyShield s = SafetyShield.builder(vehicle.action(), vehicle.state(), vehicle.safety()).setDt(0.2).build();
        assertThat(s.inactiveRules()).singleElement().asString().contains("nearby_vehicles");
    }

    @Test
    void armHoldsACommandThatWouldTakeTheToolOutOfReach() {
        EnvSpec arm = EnvRegistry.load().get("ur5e-pick-place").spec();
        SafetyShield s = SafetyShield.builder(arm.action(), arm.observation(), arm.embodiment().safety()).setDt(0.05)
                .optForwardModel(new ArmForwardModel()).build();
        double[] obs = new double[arm.observationDim()];
        double[] home = {0, -Math.PI / 2, Math.PI / 2, -Math.PI / 2, -Math.PI / 2, 0, 0};
        double[] safe = s.filter(0, home, obs, false);
        assertThat(safe).containsExactly(home);
        // shoulder lift far below the table: the tool would leave the workspace (z < 0)
        double[] down = home.clone();
        down[1] = 0.6;
        down[2] = 0.6;
        double[] tcp = new double[3];
        new ArmForwardModel().predict(down, tcp);
        assertThat(tcp[2]).isNegative();
        for (int cycle = 1; cycle < 40; cycle++) {
            double[] out = s.filter(cycle, down, obs, false);
            new ArmForwardModel().predict(out, tcp);
            assertThat(tcp[2]).as("tool height at cycle %d", cycle).isGreaterThanOrEqualTo(0);
        }
        assertThat(s.counts()).containsKey(Reason.WORKSPACE);
    }

    @Test
    void armForwardModelMatchesTheObservedToolPosition() {
        var provider = EnvRegistry.load().get("ur5e-pick-place");
        try (var env = provider.create(kiban.sim.env.EnvConfig.DEFAULT)) {
            double[] state = env.reset(3).state();
            double[] tcp = new double[3];
            new ArmForwardModel().predict(state, tcp); // joint_pos leads the observation
            int tcpOffset = 6 + 6 + 1;
            assertThat(tcp).containsExactly(new double[] {state[tcpOffset], state[tcpOffset + 1], state[tcpOffset + 2]},
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
