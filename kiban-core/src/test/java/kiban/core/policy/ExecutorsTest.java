package kiban.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import org.junit.jupiter.api.Test;

/** The two ways of executing action chunks: the broker (open loop for k steps) and temporal ensembling. */
class ExecutorsTest {

    /** Predicts chunk row h as (call number * 100 + h), and records the histories it saw. */
    static final class Counting implements UnbatchedPolicy {
        final List<double[][]> seen = new ArrayList<>();

        @Override
        public PolicyMetadata metadata() {
            FeatureSpec f = new FeatureSpec("x", "1", List.of(1), List.of(), List.of(-1e9), List.of(1e9), List.of());
            return new PolicyMetadata("counting", List.of(f), List.of(f), 2, 4, 3);
        }

        @Override
        public double[][] inferOne(PolicyObservation[] observed) {
            double[][] history = PolicyObservation.states(observed);
            seen.add(history);
            double[][] chunk = new double[4][];
            for (int h = 0; h < 4; h++) {
                chunk[h] = new double[] {seen.size() * 100 + h};
            }
            return chunk;
        }
    }

    @Test
    void brokerExecutesActionStepsOfEachChunkAndPadsHistory() {
        Counting p = new Counting();
        ActionChunkBroker broker = new ActionChunkBroker(p);
        List<Double> actions = new ArrayList<>();
        for (int t = 0; t < 7; t++) {
            actions.add(broker.act(new double[] {t})[0]);
        }
        assertThat(actions).containsExactly(100.0, 101.0, 102.0, 200.0, 201.0, 202.0, 300.0);
        assertThat(p.seen.getFirst()).isDeepEqualTo(new double[][] {{0}, {0}});
        assertThat(p.seen.get(1)).isDeepEqualTo(new double[][] {{2}, {3}});
        broker.reset();
        broker.act(new double[] {9});
        assertThat(p.seen.getLast()).isDeepEqualTo(new double[][] {{9}, {9}});
    }

    @Test
    void aDelayedBrokerAsksEarlyKeepsExecutingAndStartsTheNewChunkPastTheStepsTheInferenceTook() {
        Counting p = new Counting();
        ActionChunkBroker broker = new ActionChunkBroker(p, 2, 1);
        List<Double> actions = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            actions.add(broker.act(new double[] {t})[0]);
        }
        // Chunk 1 is awaited; chunk 2 is asked at step 1 (one step before chunk 1's two actions run out) and
        // lands at step 2, where its row 0 (meant for step 1) has passed; chunk 3 is asked at step 3.
        assertThat(actions).containsExactly(100.0, 101.0, 201.0, 202.0, 301.0);
        assertThat(p.seen.get(1)).isDeepEqualTo(new double[][] {{0}, {1}});
        assertThat(p.seen.get(2)).isDeepEqualTo(new double[][] {{2}, {3}});
        assertThat(p.seen).hasSize(3);
    }

    @Test
    void aDelayAsLongAsTheExecutedActionsAsksForTheNextChunkOnEachChunksFirstStep() {
        Counting p = new Counting();
        ActionChunkBroker broker = new ActionChunkBroker(p, 2, 2);
        List<Double> actions = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            actions.add(broker.act(new double[] {t})[0]);
        }
        // Chunk 2 is asked at step 0, beside the awaited chunk 1, and lands at step 2 at its row 2; chunk 3 is asked
        // at step 2 and lands at step 4.
        assertThat(actions).containsExactly(100.0, 101.0, 202.0, 203.0, 302.0, 303.0);
        assertThat(p.seen.get(1)).isDeepEqualTo(new double[][] {{0}, {0}});
        assertThat(p.seen.get(2)).isDeepEqualTo(new double[][] {{1}, {2}});
    }

    @Test
    void aDelayTheHorizonCannotHoldIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ActionChunkBroker(new Counting(), 3, 2))
                .hasMessageContaining("an inference delay must lie in [0, 1] steps").hasMessageContaining("got 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ActionChunkBroker(new Counting(), 2, 3))
                .hasMessageContaining("got 3");
    }

    @Test
    void aCrossFadingBrokerFadesEachNewChunkInFromTheRowsTheLastPlannedForTheSameSteps() {
        ActionChunkBroker broker = ActionChunkBroker.crossFading(new Counting(), 2, 0, 2);
        List<Double> actions = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            actions.add(broker.act(new double[] {t})[0]);
        }
        // Chunk 2 lands at step 2 beside chunk 1's rows 2 and 3 for steps 2 and 3: weights 1/3, then 2/3.
        // Chunk 3 lands at step 4, where chunk 2 has row 2; the fade is cut short where the old chunk ends.
        assertThat(actions.subList(0, 2)).containsExactly(100.0, 101.0);
        assertThat(actions.get(2)).isCloseTo(200 / 3.0 + 2 * 102 / 3.0, within(1e-9));
        assertThat(actions.get(3)).isCloseTo(2 * 201 / 3.0 + 103 / 3.0, within(1e-9));
        assertThat(actions.get(4)).isCloseTo(300 / 3.0 + 2 * 202 / 3.0, within(1e-9));

        // Delayed by a step, chunk 2 lands at its row 1, faded in from chunk 1's row for the same step (2).
        ActionChunkBroker late = ActionChunkBroker.crossFading(new Counting(), 2, 1, 1);
        late.act(new double[] {0});
        late.act(new double[] {1});
        assertThat(late.act(new double[] {2})[0]).isCloseTo((201 + 102) / 2.0, within(1e-9));
        assertThat(late.act(new double[] {3})[0]).as("the fade is over").isEqualTo(202.0);

        assertThat(ChunkExecutor.Mode.parse("crossfade")).isEqualTo(ChunkExecutor.Mode.CROSSFADE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ActionChunkBroker.crossFading(new Counting(), 2, 0, -1))
                .hasMessageContaining("got -1");
    }

    @Test
    void aDelayedEnsemblerAveragesOnlyTheChunksThatHaveLanded() {
        TemporalEnsembler e = new TemporalEnsembler(new Counting(), 0.0, 1);
        List<Double> actions = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            actions.add(e.act(new double[] {t})[0]);
        }
        // The first chunk is awaited; chunk k (asked at step k - 1) lands a step later, from its row 1.
        assertThat(actions.subList(0, 2)).containsExactly(100.0, 101.0);
        assertThat(actions.get(2)).isCloseTo((102 + 201) / 2.0, within(1e-12));
        assertThat(actions.get(3)).isCloseTo((103 + 202 + 301) / 3.0, within(1e-12));
        assertThat(actions.get(4)).as("chunk 1 has run out").isCloseTo((203 + 302 + 401) / 3.0, within(1e-12));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TemporalEnsembler(new Counting(), 0.0, 4))
                .hasMessageContaining("an inference delay must lie in [0, 3] steps").hasMessageContaining("got 4");
    }

    @Test
    void ensemblerAveragesEveryPredictionForTheStep() {
        Counting p = new Counting();
        TemporalEnsembler e = new TemporalEnsembler(p, 0.0);
        assertThat(e.act(new double[] {0})[0]).isEqualTo(100.0);
        // Step 1: chunk 1 row 1 (101) and chunk 2 row 0 (200), equal weights.
        assertThat(e.act(new double[] {1})[0]).isCloseTo((101 + 200) / 2.0, within(1e-12));
        // Step 4: chunk 1 has run out; chunks 2..5 cover it with rows 3, 2, 1, 0.
        e.act(new double[] {2});
        e.act(new double[] {3});
        assertThat(e.act(new double[] {4})[0]).isCloseTo((203 + 302 + 401 + 500) / 4.0, within(1e-12));

        TemporalEnsembler weighted = new TemporalEnsembler(new Counting(), 1.0);
        weighted.act(new double[] {0});
        double w1 = Math.exp(-1);
        assertThat(weighted.act(new double[] {1})[0]).isCloseTo((101 + w1 * 200) / (1 + w1), within(1e-12));
    }

    /** Records the image histories it is given. */
    static final class Seeing implements UnbatchedPolicy {
        static final ImageSpec CAMERA = ImageSpec.ofCamera("top", 1, 1);
        final List<byte[][]> seen = new ArrayList<>();

        @Override
        public PolicyMetadata metadata() {
            FeatureSpec f = new FeatureSpec("x", "1", List.of(1), List.of(), List.of(-1e9), List.of(1e9), List.of());
            return new PolicyMetadata("seeing", List.of(f), List.of(f), 2, 2, 1).withImages(List.of(CAMERA));
        }

        @Override
        public double[][] inferOne(PolicyObservation[] history) {
            byte[][] frames = new byte[history.length][];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = history[i].image(CAMERA);
            }
            seen.add(frames);
            return new double[][] {{frames[frames.length - 1][0]}, {0}};
        }
    }

    private static PolicyObservation frame(int value) {
        return new PolicyObservation(new double[] {0}, java.util.Map.of(Seeing.CAMERA.name(), new byte[] {(byte) value, 0, 0}));
    }

    @Test
    void executorsCarryImageHistories() {
        // RTC executes as chunks do but needs a policy that continues chunks (RealTimeChunkingTest).
        for (ChunkExecutor.Mode mode : List.of(ChunkExecutor.Mode.CHUNKS, ChunkExecutor.Mode.ENSEMBLE)) {
            Seeing p = new Seeing();
            ChunkExecutor e = ChunkExecutor.of(p, mode);
            e.reset();
            assertThat(e.act(frame(1))[0]).isEqualTo(1.0);
            e.act(frame(2));
            assertThat(p.seen.get(0)[0][0]).isEqualTo((byte) 1);
            assertThat(p.seen.get(0)[1][0]).isEqualTo((byte) 1);
            assertThat(p.seen.get(1)[0][0]).isEqualTo((byte) 1);
            assertThat(p.seen.get(1)[1][0]).isEqualTo((byte) 2);
        }
    }

    @Test
    void stateOnlyPoliciesGetTheStatesOfObservationsWithImages() {
        Counting p = new Counting();
        ActionChunkBroker broker = new ActionChunkBroker(p);
        broker.act(new PolicyObservation(new double[] {5}, java.util.Map.of("observation.images.top", new byte[3])));
        assertThat(p.seen.getFirst()).isDeepEqualTo(new double[][] {{5}, {5}});
    }
}
