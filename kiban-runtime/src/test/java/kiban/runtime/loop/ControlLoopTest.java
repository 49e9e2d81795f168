package kiban.runtime.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import kiban.core.embodiment.StopMode;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;
import kiban.runtime.shield.Reason;
import org.junit.jupiter.api.Test;

/** The loop end to end against a fake machine: latency compensation, stalls, NaN actions, take-overs, compatibility. */
class ControlLoopTest {

    /** Chunk row i of a chunk observed at cycle s plans the action {@code s + i}: executed on time it equals the cycle. */
    private static double[][] plan(long start, int horizon) {
        double[][] rows = new double[horizon][1];
        for (int i = 0; i < horizon; i++) {
            rows[i][0] = start + i;
        }
        return rows;
    }

    @Test
    void aSlowPolicyNeitherBlocksTheLoopNorShiftsItsPlan() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        Policy slow = Fakes.policy(16, 8, s -> plan(s, 16), () -> Fakes.sleep(30));
        LoopReport r = Fakes.run(m, slow, Fakes.shield(StopMode.HOLD), 100, 80, ChunkQueue.Blend.CROSSFADE, 8);
        assertThat(r.cycles()).isEqualTo(80);
        int first = 80 - m.commands.size(); // HOLD: nothing is sent before the first chunk arrives
        assertThat(first).isPositive();
        assertThat(r.expiredActions()).as("rows whose cycle passed during the 30 ms inferences").isPositive();
        // each command is the row planned for its very cycle, or a hold of the last one while a chunk is late
        for (int i = 1; i < m.commands.size(); i++) {
            int cycle = first + i;
            if (m.commands.get(i)[0] != m.commands.get(i - 1)[0]) {
                assertThat(m.commands.get(i)[0]).as("command at cycle %d", cycle).isEqualTo(cycle);
            }
        }
        assertThat(m.commands.getLast()[0]).as("the last cycle ran its own row or held it").isLessThanOrEqualTo(79.0);
    }

    @Test
    void aStalledPolicyIsStoppedByTheWatchdogWhileTheLoopKeepsTime() throws Exception {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Policy stalls = Fakes.policy(4, 4, s -> new double[][] {{0.8}, {0.8}, {0.8}, {0.8}}, () -> {
            if (calls.incrementAndGet() > 2) { // the loop's warm-up call, then one chunk
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        LoopReport r = Fakes.run(m, stalls, Fakes.shield(StopMode.ZERO), 100, 40, ChunkQueue.Blend.CROSSFADE, 4);
        never.countDown();
        assertThat(m.commands).hasSize(40);
        int last = -1;
        for (int c = 0; c < m.commands.size(); c++) {
            if (m.commands.get(c)[0] == 0.8) {
                last = c;
            }
        }
        assertThat(last).as("the one chunk was executed").isGreaterThanOrEqualTo(0);
        // the chunk's rows, then one held cycle, then the watchdog's stop (zero) on every cycle after
        assertThat(m.commands.stream().filter(c -> c[0] == 0.8).count()).isBetween(2L, 5L);
        for (int c = last + 1; c < m.commands.size(); c++) {
            assertThat(m.commands.get(c)[0]).as("cycle %d", c).isZero();
        }
        assertThat(r.interventions()).containsKey("watchdog");
    }

    @Test
    void aNanActionNeverReachesTheMachine() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        Policy sometimesNan = Fakes.policy(4, 2, s -> {
            double[][] rows = plan(s, 4);
            if (s % 3 == 0) {
                rows[1][0] = Double.NaN;
                rows[2][0] = Double.POSITIVE_INFINITY;
            }
            return rows;
        }, () -> {});
        LoopReport r = Fakes.run(m, sometimesNan, Fakes.shield(StopMode.HOLD), 200, 100, ChunkQueue.Blend.ENSEMBLE, 1);
        assertThat(m.commands).isNotEmpty();
        assertThat(m.commands).allSatisfy(c -> assertThat(c[0]).isFinite());
        assertThat(r.interventions()).containsKey("non_finite");
    }

    @Test
    void anEStopStopsTheMachineAtOnceAndLatches() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        m.estopFrom = 10;
        Policy p = Fakes.policy(8, 4, s -> new double[][] {{5}, {5}, {5}, {5}, {5}, {5}, {5}, {5}}, () -> {});
        LoopReport r = Fakes.run(m, p, Fakes.shield(StopMode.ZERO), 100, 30, ChunkQueue.Blend.CROSSFADE, 4);
        assertThat(m.stops).as("once on the e-stop's edge, once at the end").isEqualTo(2);
        assertThat(m.commands.subList(0, 10)).anySatisfy(c -> assertThat(c[0]).isEqualTo(5.0));
        for (int c = 10; c < 30; c++) {
            assertThat(m.commands.get(c)[0]).as("cycle %d", c).isZero();
        }
        assertThat(r.interventions()).containsEntry("estop", 20L);
    }

    @Test
    void anOperatorTakeOverSendsNothingAndIsRecordedAsTheOperatorsCommand() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        m.operatorFrom = 10;
        m.operatorUntil = 20;
        Policy p = Fakes.policy(8, 4, s -> new double[][] {{5}, {5}, {5}, {5}, {5}, {5}, {5}, {5}}, () -> {});
        java.util.Map<Long, double[]> recorded = new java.util.TreeMap<>();
        java.util.Map<Long, Long> reasons = new java.util.TreeMap<>();
        LoopReport r = Fakes.run(m, p, Fakes.shield(StopMode.ZERO), 100, 30, ChunkQueue.Blend.CROSSFADE, 4,
                List.of((cycle, observation, proposed, sent, bits) -> {
                    recorded.put(cycle, sent == null ? null : sent.clone());
                    reasons.put(cycle, bits);
                }));
        // the runtime commanded the machine in the 20 cycles the operator did not have it, never in the 10 they did
        assertThat(m.commands).hasSize(20);
        assertThat(r.interventions()).containsEntry("takeover", 10L);
        for (long c = 10; c < 20; c++) {
            assertThat(recorded.get(c)).as("cycle %d", c).containsExactly(-3.0);
            assertThat(reasons.get(c)).isEqualTo(Reason.TAKEOVER.bit());
        }
        assertThat(recorded.get(25L)).containsExactly(5.0);
        assertThat(reasons.get(25L) & Reason.TAKEOVER.bit()).isZero();
    }

    @Test
    void aLostLinkCountsAsNoCommandSoTheWatchdogStops() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        m.disconnectFrom = 10;
        Policy p = Fakes.policy(8, 2, s -> new double[][] {{5}, {5}, {5}, {5}, {5}, {5}, {5}, {5}}, () -> {});
        LoopReport r = Fakes.run(m, p, Fakes.shield(StopMode.ZERO), 100, 20, ChunkQueue.Blend.CROSSFADE, 2);
        assertThat(m.commands.subList(0, 10)).anySatisfy(c -> assertThat(c[0]).isEqualTo(5.0));
        assertThat(m.commands.get(10)[0]).as("one cycle held").isEqualTo(m.commands.get(9)[0]);
        for (int c = 11; c < 20; c++) {
            assertThat(m.commands.get(c)[0]).as("cycle %d", c).isZero();
        }
        assertThat(r.interventions().get("watchdog")).isGreaterThanOrEqualTo(9L);
    }

    @Test
    void aPolicyOfAnotherMachineIsRefused() {
        Policy other = new UnbatchedPolicy() {
            @Override
            public kiban.core.policy.PolicyMetadata metadata() {
                return new kiban.core.policy.PolicyMetadata("x", java.util.List.of(Fakes.STATE, Fakes.STATE),
                        java.util.List.of(Fakes.ACTION), 1, 1, 1);
            }

            @Override
            public double[][] inferOne(PolicyObservation[] history) {
                return new double[][] {{0}};
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fakes.run(new Fakes.CountingMachine(), other,
                Fakes.shield(StopMode.HOLD), 100, 1, ChunkQueue.Blend.CROSSFADE, 1))
                .hasMessageContaining("reads 2 observation").hasMessageContaining("was it trained on this env?");
    }

    @Test
    void deltaRowsAreCommandedFromTheReadingOfTheirOwnCycle() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        Policy base = Fakes.policy(32, 4, s -> {
            double[][] rows = new double[32][];
            java.util.Arrays.setAll(rows, i -> new double[] {0.5});
            return rows;
        }, () -> {});
        kiban.core.policy.PolicyMetadata pm = base.metadata().withDeltaActions(
                java.util.List.of(new kiban.core.policy.DeltaPair(Fakes.ACTION.name(), Fakes.STATE.name())));
        Policy steps = new UnbatchedPolicy() {
            @Override
            public kiban.core.policy.PolicyMetadata metadata() {
                return pm;
            }

            @Override
            public double[][] inferOne(PolicyObservation[] history) {
                return base.infer(history);
            }
        };
        Fakes.run(m, steps, Fakes.shield(StopMode.HOLD), 100, 40, ChunkQueue.Blend.CROSSFADE, 4);
        int first = 40 - m.commands.size();
        assertThat(m.commands).isNotEmpty();
        // A step of 0.5 from the cycle read in the very cycle executing it, not in the cycle it was predicted on.
        for (int i = 0; i < m.commands.size(); i++) {
            assertThat(m.commands.get(i)[0]).as("command at cycle %d", first + i).isEqualTo(first + i + 0.5);
        }
    }

    @Test
    void realTimeChunkingContinuesEachChunkWithoutAJump() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        Fakes.ContinuingPolicy p = new Fakes.ContinuingPolicy(new kiban.core.policy.PolicyMetadata("fake-flow",
                List.of(Fakes.STATE), List.of(Fakes.ACTION), 1, 16, 8), () -> Fakes.sleep(25));
        double[] proposed = new double[80];
        java.util.Arrays.fill(proposed, Double.NaN);
        CycleListener keep = (cycle, observation, action, sent, reasons) -> {
            if (action != null) {
                proposed[(int) cycle] = action[0];
            }
        };
        LoopReport r = Fakes.run(m, p, Fakes.shield(StopMode.HOLD), 100, 80, ChunkQueue.Blend.CONTINUE, 8, List.of(keep));
        assertThat(r.blend()).isEqualTo(ChunkQueue.Blend.CONTINUE);
        assertThat(r.switches()).as("a chunk asked every 8 of 80 cycles continued the last").isGreaterThanOrEqualTo(5);
        assertThat(r.lateSwitches()).isBetween(0L, r.switches());
        assertThat(p.frozenSeen).hasSizeGreaterThanOrEqualTo((int) r.switches());
        // Plain chunks jump by thousands; continued ones go on by 1 a cycle whichever chunk wrote the row.
        int checked = 0;
        for (int c = 1; c < 80; c++) {
            if (!Double.isNaN(proposed[c]) && !Double.isNaN(proposed[c - 1])) {
                assertThat(Math.floor(proposed[c]) - Math.floor(proposed[c - 1])).as("cycle %d", c).isEqualTo(1);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(60);
        java.util.Set<Integer> writers = new java.util.TreeSet<>();
        for (double a : proposed) {
            if (!Double.isNaN(a)) {
                writers.add(Fakes.ContinuingPolicy.generation(a));
            }
        }
        assertThat(writers).as("rows of several chunks ran").hasSizeGreaterThan(3);
        if (!Double.isNaN(proposed[79])) {
            assertThat(m.commands.getLast()[0]).as("the shield sent the proposal").isEqualTo(proposed[79]);
        }
    }

    @Test
    void chunksAndEnsembleNeverFreezeRows() {
        for (ChunkQueue.Blend blend : new ChunkQueue.Blend[] {ChunkQueue.Blend.CROSSFADE, ChunkQueue.Blend.ENSEMBLE}) {
            Fakes.ContinuingPolicy p = new Fakes.ContinuingPolicy(new kiban.core.policy.PolicyMetadata("fake-flow",
                    List.of(Fakes.STATE), List.of(Fakes.ACTION), 1, 16, 8), () -> {});
            LoopReport r = Fakes.run(new Fakes.CountingMachine(), p, Fakes.shield(StopMode.HOLD), 200, 40, blend, 8);
            assertThat(p.frozenSeen).as("%s", blend).isEmpty();
            assertThat(r.switches()).isZero();
        }
    }

    @Test
    void realTimeChunkingIsRefusedForAPolicyThatCannotContinueChunks() {
        Policy regression = Fakes.policy(8, 4, s -> plan(s, 8), () -> {});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Fakes.run(new Fakes.CountingMachine(), regression,
                Fakes.shield(StopMode.HOLD), 100, 10, ChunkQueue.Blend.CONTINUE, 4))
                .isInstanceOf(kiban.core.error.KibanException.class)
                .hasMessageContaining("a fake policy cannot continue a chunk from frozen rows");
    }
}
