package kiban.runtime.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kiban.core.embodiment.StopMode;
import kiban.core.machine.Telemetry;
import kiban.core.policy.Policy;
import kiban.runtime.shield.Reason;
import org.junit.jupiter.api.Test;

/**
 * The loop against machines that misbehave: one whose first command would jump, one whose readings
 * freeze, one whose commands fail, a recorder that dies, and a stop request on a slow loop.
 */
class ControlLoopFaultTest {

    private static Policy constant(double value) {
        return Fakes.policy(8, 2, s -> {
            double[][] rows = new double[8][1];
            for (double[] r : rows) {
                r[0] = value;
            }
            return rows;
        }, () -> {});
    }

    @Test
    void theFirstCommandOfARunAndOfEachEpisodeMovesAtMostOneRateStepFromTheMachine() {
        // a machine at 0, reset to 0 every 15 commands; the policy asks for the limit (100) at once
        Fakes.FollowingMachine m = new Fakes.FollowingMachine(0, 15);
        LoopReport r = Fakes.run(m, constant(100), Fakes.shield(StopMode.HOLD, Fakes.RATE_LIMITED), 100, 50,
                ChunkQueue.Blend.CROSSFADE, 2);
        double step = 10 * 0.01; // max_rate 10 per second, dt 0.01 s
        assertThat(m.commands.size()).isGreaterThan(30);
        for (int i = 0; i < m.commands.size(); i++) {
            double from = i % 15 == 0 ? m.home : m.commands.get(i - 1)[0];
            assertThat(Math.abs(m.commands.get(i)[0] - from)).as("command %d from %s", i, from).isLessThanOrEqualTo(step + 1e-9);
        }
        assertThat(m.commands.getFirst()[0]).isCloseTo(step, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.inactiveRules()).isEmpty();
    }

    @Test
    void aStopSentBeforeAnyFreshReadingRampsFromTheMachinesSetPoint() {
        // a conveyor at 50 whose readings are stale from the start: the shield stops it (zero), through its rate limit
        Fakes.FollowingMachine m = new Fakes.FollowingMachine(50, Integer.MAX_VALUE);
        m.frozenTimestamp = System.nanoTime() - 1_000_000_000L;
        LoopReport r = Fakes.run(m, constant(100), Fakes.shield(StopMode.ZERO, Fakes.RATE_LIMITED), 100, 20,
                ChunkQueue.Blend.CROSSFADE, 2);
        assertThat(r.interventions()).containsEntry("stale", 20L);
        double step = 10 * 0.01; // max_rate 10 per second, dt 0.01 s
        assertThat(m.commands).as("the stop's ramp").hasSize(20);
        for (int i = 0; i < m.commands.size(); i++) {
            double from = i == 0 ? 50 : m.commands.get(i - 1)[0];
            assertThat(m.commands.get(i)[0]).as("command %d", i).isCloseTo(from - step, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void aMachineWithoutASetPointIsReportedAsNotRateLimitedAtTheStart() {
        LoopReport r = Fakes.run(new Fakes.CountingMachine(), constant(1), Fakes.shield(StopMode.HOLD), 100, 2,
                ChunkQueue.Blend.CROSSFADE, 2);
        assertThat(r.inactiveRules()).singleElement().asString().contains("first command", "counting reports no set point");
    }

    @Test
    void aReadingThatFreezesWhileConnectedIsStaleThenTheWatchdogStopsTheMachine() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        m.freezeFrom = 10;
        m.freezeUntil = 40;
        Map<Long, Long> reasons = new TreeMap<>();
        Map<Long, double[]> sent = new TreeMap<>();
        LoopReport r = Fakes.run(m, constant(5), Fakes.shield(StopMode.ZERO), 100, 60, ChunkQueue.Blend.CROSSFADE, 2,
                List.of((cycle, observation, proposed, command, bits) -> {
                    reasons.put(cycle, bits);
                    sent.put(cycle, command == null ? null : command.clone());
                }));
        List<Long> stale = reasons.entrySet().stream().filter(e -> (e.getValue() & Reason.STALE.bit()) != 0).map(Map.Entry::getKey)
                .toList();
        assertThat(stale).as("cycles judged stale").isNotEmpty();
        long first = stale.getFirst();
        assertThat(first).as("three periods after the freeze, give or take the loop's jitter").isBetween(11L, 39L);
        assertThat(stale).as("every cycle from the first stale one until the values move again")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(first, 40).boxed().toList());
        assertThat(sent.get(first)[0]).as("the first stale cycle holds the last command").isEqualTo(5.0);
        for (long c = first + 1; c < 40; c++) {
            assertThat(sent.get(c)[0]).as("cycle %d: the watchdog's stop", c).isZero();
            assertThat(reasons.get(c) & Reason.WATCHDOG.bit()).isNotZero();
        }
        assertThat(sent.get(59L)[0]).as("fresh readings again: the policy drives").isEqualTo(5.0);
        assertThat(r.interventions()).containsEntry("stale", (long) stale.size()).containsKey("watchdog");
    }

    @Test
    void commandsThatThrowEndTheRunAfterTheConfiguredNumberInARow() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        m.throwFrom = 10;
        LoopReport r = Fakes.run(m, constant(5), Fakes.shield(StopMode.ZERO), 100, 30, ChunkQueue.Blend.CROSSFADE, 2);
        assertThat(m.commands).as("the ten commands before the failures").hasSize(10);
        // commands 10, 11 and 12 threw; the reading of cycle 13 finds three in a row and ends the run
        assertThat(r.cycles()).isEqualTo(14);
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.stopReason()).contains("3 in a row", "the drive refused command 12", "--max-failed-commands");
        assertThat(r.interventions()).containsEntry("command_failed", 3L);
        assertThat(m.stops).as("the machine is stopped when the run ends").isPositive();
    }

    @Test
    void failuresTheMachineReportsEndTheRunOnlyWhenTheyReachTheLimitInARow() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        // two failed writes that recover, then three in a row
        m.reportedFailures = c -> c == 10 || c == 11 ? c - 9 : c >= 20 ? c - 19 : 0;
        LoopConfig config = LoopConfig.ofCycles(100, 40, ChunkQueue.Blend.CROSSFADE, 2).withMaxFailedCommands(3);
        LoopReport r = Fakes.run(m, constant(5), Fakes.shield(StopMode.ZERO), config, List.of());
        assertThat(r.cycles()).as("ended in the reading of cycle 22").isEqualTo(23);
        assertThat(r.stopReason()).contains("3 in a row", "Bad_NotWritable");
        assertThat(r.interventions()).containsEntry("command_failed", 5L);

        Fakes.CountingMachine lenient = new Fakes.CountingMachine();
        lenient.reportedFailures = c -> c >= 20 ? c - 19 : 0;
        LoopReport goesOn = Fakes.run(lenient, constant(5), Fakes.shield(StopMode.ZERO), config.withMaxFailedCommands(100), List.of());
        assertThat(goesOn.stoppedEarly()).isFalse();
        assertThat(goesOn.cycles()).isEqualTo(40);
    }

    /** A listener that fails after {@code failAfter} cycles, as a recorder whose writer died. */
    private static final class DyingListener implements CycleListener {
        final int failAfter;
        int calls;

        DyingListener(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public void onCycle(long cycle, double[] observation, double[] proposed, double[] sent, long reasons) {
            calls++;
        }

        @Override
        public Throwable failure() {
            return calls >= failAfter ? new IllegalStateException("recording to /deploy failed: No space left on device") : null;
        }
    }

    @Test
    void aFailedRecorderIsReportedAndToldNothingMoreWhileTheRunGoesOn() {
        DyingListener recorder = new DyingListener(5);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LoopConfig config = LoopConfig.ofCycles(100, 20, ChunkQueue.Blend.CROSSFADE, 2);
        LoopReport r = new ControlLoop(new Fakes.CountingMachine(), constant(5), Fakes.shield(StopMode.ZERO), config,
                List.of(recorder), Telemetry.none(), new PrintStream(err, true, StandardCharsets.UTF_8)).run();
        assertThat(r.cycles()).isEqualTo(20);
        assertThat(recorder.calls).isEqualTo(5);
        assertThat(r.interventions()).containsEntry("recording_failed", 1L);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("at cycle 4", "No space left on device",
                "driving on without recording", "--on-record-failure stop");
    }

    @Test
    void aFailedRecorderEndsTheRunWhenToldToStop() {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        LoopConfig config = LoopConfig.ofCycles(100, 20, ChunkQueue.Blend.CROSSFADE, 2).withOnRecordFailure(LoopConfig.OnFailure.STOP);
        LoopReport r = Fakes.run(m, constant(5), Fakes.shield(StopMode.ZERO), config, List.of(new DyingListener(5)));
        assertThat(r.cycles()).isEqualTo(5);
        assertThat(r.stopReason()).contains("No space left on device", "--on-record-failure stop");
        assertThat(r.interventions()).containsEntry("recording_failed", 1L);
        assertThat(m.stops).isPositive();
    }

    @Test
    void aRecorderThatFailsAtAnEpisodesEndIsReportedToo() {
        // the machine resets after 10 commands; the recorder's episode end throws (it could not save the episode)
        CycleListener recorder = new CycleListener() {
            @Override
            public void onCycle(long cycle, double[] observation, double[] proposed, double[] sent, long reasons) {}

            @Override
            public void onEpisodeEnd() {
                throw new IllegalStateException("saving the episode failed: No space left on device");
            }
        };
        LoopConfig config = LoopConfig.ofCycles(100, 40, ChunkQueue.Blend.CROSSFADE, 2).withOnRecordFailure(LoopConfig.OnFailure.STOP);
        Fakes.FollowingMachine m = new Fakes.FollowingMachine(0, 10);
        LoopReport r = Fakes.run(m, constant(5), Fakes.shield(StopMode.HOLD, Fakes.RATE_LIMITED), config, List.of(recorder));
        assertThat(r.stopReason()).contains("No space left on device", "--on-record-failure stop");
        // ended in the cycle after the reset, which sent its command if the policy's first chunk was in time
        assertThat(m.commands.size()).as("commands sent").isBetween(10, 11);
        assertThat(r.interventions()).containsEntry("recording_failed", 1L);
    }

    @Test
    void aStopRequestEndsEvenATenSecondPeriodAtOnce() throws Exception {
        Fakes.CountingMachine m = new Fakes.CountingMachine();
        ControlLoop loop = new ControlLoop(m, constant(5), Fakes.shield(StopMode.ZERO),
                LoopConfig.ofCycles(LoopConfig.MIN_HZ, 3, ChunkQueue.Blend.CROSSFADE, 2), List.of(), Telemetry.none(), System.err);
        List<LoopReport> report = new ArrayList<>();
        Thread t = new Thread(() -> report.add(loop.run()));
        long start = System.nanoTime();
        t.start();
        Thread.sleep(300);
        loop.requestStop("interrupted (Ctrl-C)");
        t.join(5_000);
        assertThat(t.isAlive()).isFalse();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds, of a 10 s period").isLessThan(5);
        LoopReport r = report.getFirst();
        assertThat(r.hz()).isEqualTo(0.1);
        assertThat(r.cycles()).isZero();
        assertThat(r.stopReason()).isEqualTo("interrupted (Ctrl-C)");
        assertThat(m.stops).isPositive();
    }
}
