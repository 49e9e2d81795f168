package kiban.runtime.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import kiban.core.policy.DeltaPair;
import kiban.core.policy.GuidanceMask;
import kiban.core.policy.PolicyMetadata;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Real-time chunking cycle by cycle: the test says in which cycle each gated inference comes back,
 * so the switch rows are exact. The policy writes delta actions, so a command is its row plus the
 * cycle's observation, and the frozen rows must be the rows, not the commands.
 */
class ActionSourceTest {

    private static final int HORIZON = 32;
    private static final int STEPS = 16;
    private static final double HZ = 100;
    /** Longer than two 10 ms periods: each delay estimate is at least 3 cycles. */
    private static final long THINK_MILLIS = 25;
    private static final Offset<Double> EXACT = Offset.offset(1e-9);

    @Test
    void rtcFreezesTheRowsThatRunDuringInferenceAndSwitchesAtTheElapsedRow() {
        PolicyMetadata m = new PolicyMetadata("fake-flow", List.of(Fakes.STATE), List.of(Fakes.ACTION), 1, HORIZON, STEPS,
                List.of(new DeltaPair(Fakes.ACTION.name(), Fakes.STATE.name())));
        Fakes.ContinuingPolicy p = new Fakes.ContinuingPolicy(m, () -> {});
        try (ActionSource s = new ActionSource(p, LoopConfig.ofCycles(HZ, 1000, ChunkQueue.Blend.CONTINUE, STEPS))) {
            s.warmUp(obs(0));
            p.chunks.clear();
            p.frozenSeen.clear();
            p.gated = true;
            p.calls.set(0);
            double[] executed = new double[4 * STEPS + 1];
            Arrays.fill(executed, Double.NaN);

            assertThat(next(s, 0)).as("the first chunk is asked for and not back yet").isNull();
            comeBack(s, p);
            double[][] old = p.chunks.getFirst();
            long oldStart = 0;
            for (int c = 1; c < STEPS; c++) {
                executed[c] = next(s, c) - c;
                assertThat(executed[c]).isCloseTo(old[c][0], EXACT);
            }
            // Each STEPS cycles a chunk is asked for; it comes back a cycle before its frozen rows run out, as
            // they run out, and a cycle after (late). Whenever it comes, it starts at the row for the cycles elapsed.
            int[] afterFrozen = {-1, 0, 1};
            for (int k = 0; k < afterFrozen.length; k++) {
                long request = (k + 1L) * STEPS;
                executed[(int) request] = next(s, request) - request;
                assertThat(executed[(int) request]).as("the old chunk runs meanwhile").isCloseTo(old[(int) (request - oldStart)][0], EXACT);
                asked(p, k + 2);
                double[][] frozen = p.frozenSeen.get(k);
                int rowsLeft = (int) (oldStart + HORIZON - request);
                assertThat(frozen.length).as("the delay estimate: the longest inference in whole periods, at most the rows left")
                        .isEqualTo(Math.min(expectedDelay(s), rowsLeft)).isBetween(3, rowsLeft);
                assertThat(frozen).as("the old chunk's rows (steps, not commands) from the request's cycle on")
                        .isDeepEqualTo(Arrays.copyOfRange(old, (int) (request - oldStart), (int) (request - oldStart) + frozen.length));
                int elapsed = frozen.length + afterFrozen[k];
                for (long c = request + 1; c < request + elapsed; c++) {
                    Double a = next(s, c);
                    if (c - oldStart < HORIZON) {
                        executed[(int) c] = a - c;
                        assertThat(executed[(int) c]).isCloseTo(old[(int) (c - oldStart)][0], EXACT);
                    }
                }
                comeBack(s, p);
                double[][] fresh = p.chunks.get(k + 1);
                for (long c = request + elapsed; c < request + STEPS; c++) {
                    executed[(int) c] = next(s, c) - c;
                    assertThat(executed[(int) c]).as("cycle %d runs the new chunk's row %d", c, c - request)
                            .isCloseTo(fresh[(int) (c - request)][0], EXACT);
                }
                int switchRow = elapsed;
                assertThat(Fakes.ContinuingPolicy.generation(executed[(int) request + STEPS - 1])).as("rows the new chunk wrote itself ran")
                        .isEqualTo(Fakes.ContinuingPolicy.generation(fresh[HORIZON - 1][0]));
                assertThat(s.switches()).isEqualTo(k + 1);
                assertThat(s.lateSwitches()).as("switch at row %d after %d frozen", switchRow, frozen.length)
                        .isEqualTo(afterFrozen[k] > 0 ? 1 : 0);
                old = fresh;
                oldStart = request;
            }
            for (int c = 2; c < 4 * STEPS; c++) {
                if (!Double.isNaN(executed[c]) && !Double.isNaN(executed[c - 1])) {
                    assertThat(Math.floor(executed[c]) - Math.floor(executed[c - 1])).as("no jump at cycle %d", c).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void theSoftMaskAlsoHandsOverTheRunningChunksRowsAfterTheFrozenOnes() {
        PolicyMetadata m = new PolicyMetadata("fake-flow", List.of(Fakes.STATE), List.of(Fakes.ACTION), 1, HORIZON, STEPS);
        for (GuidanceMask mask : GuidanceMask.values()) {
            Fakes.ContinuingPolicy p = new Fakes.ContinuingPolicy(m, () -> {});
            LoopConfig config = LoopConfig.ofCycles(HZ, 1000, ChunkQueue.Blend.CONTINUE, STEPS).withRtcMask(mask);
            try (ActionSource s = new ActionSource(p, config)) {
                s.warmUp(obs(0));
                p.chunks.clear();
                p.frozenSeen.clear();
                p.followingSeen.clear();
                p.gated = true;
                next(s, 0);
                comeBack(s, p);
                double[][] old = p.chunks.getFirst();
                for (int c = 1; c <= STEPS; c++) {
                    next(s, c);
                }
                asked(p, 2);
                comeBack(s, p);
                double[][] frozen = p.frozenSeen.getLast();
                assertThat(frozen).isDeepEqualTo(Arrays.copyOfRange(old, STEPS, STEPS + frozen.length));
                if (mask == GuidanceMask.HARD) {
                    assertThat(p.followingSeen).as("the hard mask hands over the frozen rows alone").isEmpty();
                } else {
                    assertThat(p.followingSeen).hasSize(1);
                    assertThat(p.followingSeen.getFirst()).as("the running chunk's rows after the frozen ones, to its end")
                            .isDeepEqualTo(Arrays.copyOfRange(old, STEPS + frozen.length, HORIZON));
                }
            }
        }
    }

    @Test
    void chunksNeverAskToContinue() {
        Fakes.ContinuingPolicy p = new Fakes.ContinuingPolicy(
                new PolicyMetadata("fake-flow", List.of(Fakes.STATE), List.of(Fakes.ACTION), 1, HORIZON, STEPS), () -> {});
        try (ActionSource s = new ActionSource(p, LoopConfig.ofCycles(HZ, 1000, ChunkQueue.Blend.CROSSFADE, STEPS))) {
            s.warmUp(obs(0));
            p.gated = true;
            for (int c = 0; c < 3 * STEPS; c++) {
                next(s, c);
                if (s.worker().busy()) {
                    comeBack(s, p);
                }
            }
            assertThat(p.frozenSeen).isEmpty();
            assertThat(s.switches()).isZero();
        }
    }

    private static double[] obs(long cycle) {
        return new double[] {cycle};
    }

    /** This cycle's command; the wait for a chunk just asked ends at once (its deadline is long past). */
    private static Double next(ActionSource s, long cycle) {
        double[] a = s.next(cycle, System.nanoTime() - 1_000_000_000L, obs(cycle), true);
        return a == null ? null : a[0];
    }

    /** Lets the inference in flight come back after at least {@link #THINK_MILLIS}, and waits until it has. */
    private static void comeBack(ActionSource s, Fakes.ContinuingPolicy p) {
        p.awaitWaiting();
        Fakes.sleep(THINK_MILLIS);
        p.release();
        while (s.worker().busy()) {
            Fakes.sleep(1);
        }
    }

    /** Waits until the inference thread has begun the policy's {@code n}th call since the warm-up. */
    private static void asked(Fakes.ContinuingPolicy p, int n) {
        while (p.calls.get() < n) {
            Thread.onSpinWait();
        }
    }

    /** The longest inference so far in whole 10 ms periods (the warm-up's timed call was not gated, so shorter). */
    private static int expectedDelay(ActionSource s) {
        LatencyHistogram h = s.worker().latency();
        long max;
        synchronized (h) {
            max = h.max();
        }
        long period = Math.round(1e9 / HZ);
        return (int) Math.max(1, (max + period - 1) / period);
    }
}
