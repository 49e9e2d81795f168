package kiban.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import org.junit.jupiter.api.Test;

/** {@link ChunkExecutor.Mode#RTC}: which rows a continuing policy is given, when, and what runs after. */
class RealTimeChunkingTest {

    /**
     * Predicts row h of chunk n as (n * 100 + h); continuing, it returns the frozen rows as its first
     * rows (as a perfect inpainter would) and records them with the newest observation it was given.
     */
    static final class Continuing implements UnbatchedPolicy {
        final List<double[][]> frozenSeen = new ArrayList<>();
        final List<double[][]> followingSeen = new ArrayList<>();
        final List<Double> askedAt = new ArrayList<>();
        final PolicyMetadata metadata;
        int calls;

        Continuing(boolean delta) {
            FeatureSpec f = new FeatureSpec("x", "1", List.of(1), List.of(), List.of(-1e9), List.of(1e9), List.of());
            PolicyMetadata m = new PolicyMetadata("continuing", List.of(f), List.of(f), 1, 6, 3);
            this.metadata = delta ? m.withDeltaActions(List.of(new DeltaPair("x", "x"))) : m;
        }

        @Override
        public PolicyMetadata metadata() {
            return metadata;
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            calls++;
            double[][] chunk = new double[6][];
            for (int h = 0; h < 6; h++) {
                chunk[h] = new double[] {calls * 100 + h};
            }
            return chunk;
        }

        @Override
        public boolean continuesChunks() {
            return true;
        }

        @Override
        public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen) {
            double[][] copy = new double[frozen.length][];
            for (int i = 0; i < frozen.length; i++) {
                copy[i] = frozen[i].clone();
            }
            frozenSeen.add(copy);
            askedAt.add(history[history.length - 1].state()[0]);
            double[][] chunk = infer(new double[][] {history[history.length - 1].state()});
            System.arraycopy(copy, 0, chunk, 0, copy.length);
            return chunk;
        }

        @Override
        public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen, double[][] following) {
            followingSeen.add(following.clone());
            return inferContinuing(history, frozen);
        }
    }

    private static List<Double> run(ChunkExecutor executor, int steps) {
        List<Double> actions = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            actions.add(executor.act(new double[] {t})[0]);
        }
        return actions;
    }

    @Test
    void withOneStepOfDelayTheRowExecutingDuringTheInferenceIsFrozenAndTheNewChunkRunsFromRowOne() {
        Continuing p = new Continuing(false);
        List<Double> actions = run(ChunkExecutor.of(p, ChunkExecutor.Mode.RTC, 3, 1), 7);
        // Chunk 2 is asked at step 2 with chunk 1's row 2 (step 2's action) frozen, and runs from its row 1 at step 3.
        assertThat(actions).containsExactly(100.0, 101.0, 102.0, 201.0, 202.0, 203.0, 301.0);
        assertThat(p.askedAt).containsExactly(2.0, 5.0);
        assertThat(p.frozenSeen).hasSize(2);
        assertThat(p.frozenSeen.get(0)).isDeepEqualTo(new double[][] {{102}});
        assertThat(p.frozenSeen.get(1)).isDeepEqualTo(new double[][] {{203}});
    }

    @Test
    void withTwoStepsOfDelayTheFrozenRowsAreTheActionsOfTheStepsTheInferenceTakes() {
        Continuing p = new Continuing(false);
        List<Double> actions = run(ChunkExecutor.of(p, ChunkExecutor.Mode.RTC, 3, 2), 7);
        assertThat(actions).containsExactly(100.0, 101.0, 102.0, 202.0, 203.0, 204.0, 302.0);
        assertThat(p.askedAt).containsExactly(1.0, 4.0);
        for (int i = 0; i < p.askedAt.size(); i++) {
            int asked = p.askedAt.get(i).intValue();
            for (int r = 0; r < 2; r++) {
                assertThat(p.frozenSeen.get(i)[r][0]).as("request %d row %d", i, r).isEqualTo(actions.get(asked + r));
            }
        }
    }

    @Test
    void frozenRowsOfDeltaActionsAreThePolicysStepsNotTheCommandsSent() {
        Continuing p = new Continuing(true);
        List<Double> actions = run(ChunkExecutor.of(p, ChunkExecutor.Mode.RTC, 3, 1), 4);
        assertThat(actions).containsExactly(100.0, 102.0, 104.0, 204.0); // row + the observation t
        assertThat(p.frozenSeen.getFirst()).isDeepEqualTo(new double[][] {{102}});
    }

    @Test
    void withoutDelayRtcExecutesExactlyAsChunks() {
        Continuing rtc = new Continuing(false);
        Continuing chunks = new Continuing(false);
        ChunkExecutor a = ChunkExecutor.of(rtc, ChunkExecutor.Mode.RTC, 3, 0);
        ChunkExecutor b = ChunkExecutor.of(chunks, ChunkExecutor.Mode.CHUNKS, 3, 0);
        assertThat(run(a, 11)).isEqualTo(run(b, 11)).contains(100.0, 400.0);
        assertThat(rtc.frozenSeen).isEmpty();
        assertThat(rtc.calls).isEqualTo(chunks.calls).isEqualTo(4);
    }

    @Test
    void rtcIsRefusedForAPolicyThatCannotContinueChunks() {
        assertThatThrownBy(() -> ChunkExecutor.of(new ExecutorsTest.Counting(), ChunkExecutor.Mode.RTC, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--execution rtc").hasMessageContaining("counting policy cannot continue a chunk");
        assertThatThrownBy(() -> new ExecutorsTest.Counting().inferContinuing(new PolicyObservation[0], new double[0][]))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSoftMaskGivesTheRestOfTheRunningChunkAfterTheFrozenRows() {
        Continuing soft = new Continuing(false);
        Continuing hard = new Continuing(false);
        List<Double> actions = run(ChunkExecutor.of(soft, ChunkExecutor.Mode.RTC, 3, 1, GuidanceMask.SOFT), 7);
        // Chunk 2 is asked at step 2 (chunk 1's row 2 frozen); rows 3-5 of chunk 1 follow it.
        assertThat(soft.frozenSeen.getFirst()).isDeepEqualTo(new double[][] {{102}});
        assertThat(soft.followingSeen.getFirst()).isDeepEqualTo(new double[][] {{103}, {104}, {105}});
        // Chunk 3 is asked at step 5 from chunk 2, which started at its row 1: row 3 frozen, rows 4 and 5 follow.
        assertThat(soft.frozenSeen.get(1)).isDeepEqualTo(new double[][] {{203}});
        assertThat(soft.followingSeen.get(1)).isDeepEqualTo(new double[][] {{204}, {205}});
        assertThat(actions).isEqualTo(run(ChunkExecutor.of(hard, ChunkExecutor.Mode.RTC, 3, 1), 7));
        assertThat(hard.followingSeen).isEmpty();
    }

    @Test
    void aPolicyWithoutASoftMaskIgnoresTheFollowingRows() {
        Continuing inner = new Continuing(false);
        Policy plain = new UnbatchedPolicy() {
            @Override
            public PolicyMetadata metadata() {
                return inner.metadata();
            }

            @Override
            public double[][] inferOne(PolicyObservation[] history) {
                return inner.infer(history);
            }

            @Override
            public double[][] inferContinuing(PolicyObservation[] history, double[][] frozen) {
                return inner.inferContinuing(history, frozen);
            }
        };
        double[][] chunk = plain.inferContinuing(new PolicyObservation[] {PolicyObservation.of(new double[] {0})},
                new double[][] {{7}}, new double[][] {{8}});
        assertThat(chunk[0][0]).isEqualTo(7.0);
        assertThat(chunk[1][0]).isEqualTo(101.0);
    }

    @Test
    void theMaskIsParsedByName() {
        assertThat(GuidanceMask.parse("soft")).isEqualTo(GuidanceMask.SOFT);
        assertThat(GuidanceMask.parse("hard")).isEqualTo(GuidanceMask.HARD);
        assertThatThrownBy(() -> GuidanceMask.parse("fuzzy")).hasMessageContaining("hard or soft").hasMessageContaining("'fuzzy'");
    }

    @Test
    void rtcIsParsedByName() {
        assertThat(ChunkExecutor.Mode.parse("rtc")).isEqualTo(ChunkExecutor.Mode.RTC);
        assertThat(ChunkExecutor.Mode.RTC.wireName()).isEqualTo("rtc");
    }

    @Test
    void anInstructedPolicyContinuesWhatItWraps() {
        Continuing p = new Continuing(false);
        InstructedPolicy instructed = new InstructedPolicy(p, "push the block");
        assertThat(instructed.continuesChunks()).isTrue();
        instructed.inferContinuing(new PolicyObservation[] {PolicyObservation.of(new double[] {7})}, new double[][] {{1}});
        assertThat(p.frozenSeen.getFirst()).isDeepEqualTo(new double[][] {{1}});
        instructed.inferContinuing(new PolicyObservation[] {PolicyObservation.of(new double[] {7})}, new double[][] {{1}},
                new double[][] {{2}});
        assertThat(p.followingSeen.getFirst()).isDeepEqualTo(new double[][] {{2}});
        assertThat(new InstructedPolicy(new ExecutorsTest.Counting(), "x").continuesChunks()).isFalse();
    }
}
