package kiban.data.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefetcherTest {

    @Test
    void everyEpochIsAPermutationAndSkipMatchesNext() {
        ShuffledOrder a = new ShuffledOrder(10, 7);
        int[] two = a.next(20);
        int[] first = Arrays.copyOf(two, 10);
        int[] second = Arrays.copyOfRange(two, 10, 20);
        Arrays.sort(first);
        Arrays.sort(second);
        assertThat(first).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(second).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(Arrays.copyOf(two, 10)).isNotEqualTo(Arrays.copyOfRange(two, 10, 20));
        ShuffledOrder b = new ShuffledOrder(10, 7);
        b.skip(13);
        assertThat(b.next(7)).containsExactly(Arrays.copyOfRange(two, 13, 20));
        assertThat(new ShuffledOrder(10, 8).next(10)).isNotEqualTo(Arrays.copyOf(two, 10));
    }

    private static List<int[]> draw(int workers, long skip) {
        List<int[]> out = new ArrayList<>();
        try (Prefetcher<int[]> p = new Prefetcher<>(new ShuffledOrder(37, 3), 8, idx -> idx.clone(), workers, 3)) {
            p.skip(skip);
            for (int i = 0; i < 12; i++) {
                out.add(p.next());
            }
            assertThatThrownBy(() -> p.skip(1)).isInstanceOf(IllegalStateException.class);
        }
        return out;
    }

    @Test
    void batchesAreTheSameForAnyWorkerCountAndResumeExactly() {
        List<int[]> one = draw(1, 0);
        List<int[]> three = draw(3, 0);
        for (int i = 0; i < one.size(); i++) {
            assertThat(three.get(i)).containsExactly(one.get(i));
        }
        List<int[]> resumed = draw(2, 5 * 8);
        for (int i = 0; i < 7; i++) {
            assertThat(resumed.get(i)).containsExactly(one.get(i + 5));
        }
    }

    @Test
    void eachBatchKnowsItsPositionInTheOrderWhateverTheWorkersAndAfterASkip() {
        for (int workers : new int[] {1, 3}) {
            try (Prefetcher<long[]> p = new Prefetcher<>(new ShuffledOrder(37, 3), 8,
                    (Prefetcher.Build<long[]>) (position, idx) -> new long[] {position, idx[0]}, workers, 3)) {
                p.skip(16);
                ShuffledOrder order = new ShuffledOrder(37, 3);
                order.skip(16);
                for (int i = 0; i < 10; i++) {
                    assertThat(order.position()).isEqualTo(16 + 8L * i);
                    int first = order.next(8)[0];
                    assertThat(p.next()).containsExactly(16 + 8L * i, first);
                }
            }
        }
    }

    @Test
    void offsetsOutsideTheEpisodeRepeatTheEdgeAndArePadding() {
        FrameIndex ix = new FrameIndex(new int[] {3, 2});
        assertThat(ix.size()).isEqualTo(5);
        assertThat(ix.episode(3)).isEqualTo(1);
        assertThat(ix.frame(3)).isZero();
        assertThat(ix.episodeStart(4)).isEqualTo(3);
        assertThat(FrameIndex.clamp(0, -1, 3)).isZero();
        assertThat(FrameIndex.padded(0, -1, 3)).isTrue();
        assertThat(FrameIndex.clamp(2, 2, 3)).isEqualTo(2);
        assertThat(FrameIndex.padded(2, 2, 3)).isTrue();
        assertThat(FrameIndex.padded(1, 1, 3)).isFalse();
        assertThatThrownBy(() -> new FrameIndex(new int[] {2, 0})).hasMessageContaining("length of episode 1");
    }
}
