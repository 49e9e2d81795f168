package kiban.health.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class StratifiedFoldsTest {

    /** Each class spreads over the folds as evenly as whole instances allow, and the folds partition the instances. */
    @Property(tries = 200)
    void foldsKeepClassProportionsAndPartitionTheInstances(@ForAll @Size(min = 1, max = 6) int[] classSizes,
            @ForAll @IntRange(min = 2, max = 7) int k, @ForAll long seed) {
        int[] sizes = Arrays.stream(classSizes).map(s -> Math.floorMod(s, 40)).toArray();
        int[] labels = labels(sizes);
        if (labels.length < k) {
            return;
        }
        int[] folds = StratifiedFolds.assign(labels, sizes.length, k, seed);
        Set<Integer> seen = new HashSet<>();
        for (int f = 0; f < k; f++) {
            int[] test = StratifiedFolds.members(folds, f, true);
            int[] train = StratifiedFolds.members(folds, f, false);
            assertThat(test.length + train.length).isEqualTo(labels.length);
            assertThat(test).isNotEmpty();
            for (int i : test) {
                assertThat(seen.add(i)).as("instance %d in two folds", i).isTrue();
                assertThat(train).doesNotContain(i);
            }
            for (int c = 0; c < sizes.length; c++) {
                int cc = c;
                long inFold = Arrays.stream(test).filter(i -> labels[i] == cc).count();
                assertThat(inFold).as("class %d in fold %d", c, f).isBetween((long) sizes[c] / k, (long) (sizes[c] + k - 1) / k);
            }
        }
        assertThat(seen).hasSize(labels.length);
        int[] foldSizes = new int[k];
        for (int f : folds) {
            foldSizes[f]++;
        }
        assertThat(Arrays.stream(foldSizes).max().getAsInt() - Arrays.stream(foldSizes).min().getAsInt()).isLessThanOrEqualTo(1);
    }

    @Property(tries = 20)
    void theSameSeedGivesTheSameFolds(@ForAll long seed) {
        int[] labels = labels(new int[] {20, 9, 15, 3});
        assertThat(StratifiedFolds.assign(labels, 4, 5, seed)).containsExactly(StratifiedFolds.assign(labels, 4, 5, seed));
    }

    @Property(tries = 1)
    void aClassSmallerThanTheFoldsLandsInAsManyFoldsAsItHasInstances() {
        // lp3's 'lost' has 3 failures: with 5 folds, three folds hold one each and two hold none.
        int[] labels = labels(new int[] {20, 9, 15, 3});
        int[] folds = StratifiedFolds.assign(labels, 4, 5, 0);
        Set<Integer> lostFolds = new HashSet<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 3) {
                lostFolds.add(folds[i]);
            }
        }
        assertThat(lostFolds).hasSize(3);
    }

    @Property(tries = 1)
    void foldsOutsideTwoToTheInstancesAreRefused() {
        assertThatThrownBy(() -> StratifiedFolds.assign(new int[] {0, 1, 0}, 2, 4, 0)).hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> StratifiedFolds.assign(new int[] {0, 1, 0}, 2, 1, 0)).hasMessageContaining("got 1");
    }

    private static int[] labels(int[] sizes) {
        return java.util.stream.IntStream.range(0, sizes.length).flatMap(c -> java.util.stream.IntStream.range(0, sizes[c]).map(i -> c))
                .toArray();
    }
}
