package kiban.runtime.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.policy.DeltaActions;
import kiban.core.policy.DeltaPair;
import kiban.core.policy.PolicyMetadata;
import org.junit.jupiter.api.Test;

class ChunkQueueTest {

    private static Chunk chunk(long start, double... values) {
        double[][] rows = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            rows[i] = new double[] {values[i]};
        }
        return new Chunk(start, rows, 0, 0);
    }

    @Test
    void rowsWhoseCycleHasPassedAreSkipped() {
        ChunkQueue q = new ChunkQueue(ChunkQueue.Blend.CROSSFADE, 0, 0, 1);
        assertThat(q.next(0)).isNull();
        q.add(chunk(2, 20, 21, 22, 23), 5);
        assertThat(q.expiredActions()).isEqualTo(3);
        assertThat(q.next(5)[0]).isEqualTo(23);
        assertThat(q.next(6)).as("the chunk ran out").isNull();
    }

    @Test
    void ensemblingAveragesOverlappingChunksOldestHeaviest() {
        ChunkQueue q = new ChunkQueue(ChunkQueue.Blend.ENSEMBLE, Math.log(2), 0, 1);
        q.add(chunk(0, 0, 10, 10), 0);
        q.add(chunk(1, 40, 40), 1);
        // weights 1 (oldest) and 1/2
        assertThat(q.next(1)[0]).isCloseTo((10 * 1 + 40 * 0.5) / 1.5, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void aNewChunkIsCrossFadedIn() {
        ChunkQueue q = new ChunkQueue(ChunkQueue.Blend.CROSSFADE, 0, 3, 1);
        q.add(chunk(0, 0, 0, 0, 0, 0, 0, 0, 0), 0);
        assertThat(q.next(1)[0]).isZero();
        q.add(chunk(2, 8, 8, 8, 8, 8, 8), 2);
        assertThat(q.next(2)[0]).isEqualTo(2.0);
        assertThat(q.next(3)[0]).isEqualTo(4.0);
        assertThat(q.next(4)[0]).isEqualTo(6.0);
        assertThat(q.next(5)[0]).isEqualTo(8.0);
    }

    @Test
    void aContinuingChunkTakesOverAtItsRowForTheCycleUnblended() {
        ChunkQueue q = new ChunkQueue(ChunkQueue.Blend.CONTINUE, 0, 3, 1);
        assertThat(q.upcoming(0, 3)).as("nothing executes yet").isEmpty();
        q.add(chunk(0, 0, 1, 2, 3, 4, 5), 0);
        double[][] frozen = q.upcoming(2, 3);
        assertThat(frozen).isDeepEqualTo(new double[][] {{2}, {3}, {4}});
        frozen[0][0] = 99;
        assertThat(q.next(2)[0]).as("the frozen rows are copies").isEqualTo(2);
        assertThat(q.upcoming(4, 3)).as("at most the rows left").isDeepEqualTo(new double[][] {{4}, {5}});
        q.add(chunk(2, 2, 3, 7, 8, 9, 10), 4);
        assertThat(q.expiredActions()).isEqualTo(2);
        assertThat(q.next(4)[0]).as("row 2 of the new chunk, no cross-fade from the old one's 4").isEqualTo(7);
        assertThat(q.next(5)[0]).isEqualTo(8);
    }

    @Test
    void deltaRowsAreBlendedThenGetTheReadingOfTheExecutingCycle() {
        FeatureSpec pos = new FeatureSpec("pos", "rad", List.of(1), List.of(), List.of(-10.0), List.of(10.0), List.of());
        FeatureSpec target = new FeatureSpec("target", "rad", List.of(1), List.of(), List.of(-10.0), List.of(10.0), List.of());
        PolicyMetadata m = new PolicyMetadata("delta", List.of(pos), List.of(target), 1, 3, 1,
                List.of(new DeltaPair("target", "pos")));
        ChunkQueue q = new ChunkQueue(ChunkQueue.Blend.ENSEMBLE, 0, 0, 1, DeltaActions.of(m));
        q.add(chunk(0, 0.1, 0.2, 0.3), 0);
        assertThat(q.next(0, new double[] {1.0})[0]).isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-12));
        q.add(chunk(1, 0.4, 0.5), 1);
        // mean of the steps 0.2 and 0.4, plus the position read in cycle 1
        assertThat(q.next(1, new double[] {2.0})[0]).isCloseTo(2.3, org.assertj.core.data.Offset.offset(1e-12));
    }
}
