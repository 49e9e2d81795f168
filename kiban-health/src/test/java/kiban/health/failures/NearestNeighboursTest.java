package kiban.health.failures;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NearestNeighboursTest {

    private static final double[][] X = {{0}, {1}, {2}, {10}, {11}};
    private static final int[] Y = {0, 0, 1, 1, 1};

    @Test
    void votesAmongTheNearestAndBreaksTiesByDistance() {
        try (Classifier three = new NearestNeighbours(3).fit(X, Y, 2, 0); Classifier one = new NearestNeighbours(1).fit(X, Y, 2, 0);
                Classifier two = new NearestNeighbours(2).fit(X, Y, 2, 0)) {
            // Near 0.4: neighbours 0, 1, 2 vote 0, 0, 1.
            assertThat(three.predict(new double[][] {{0.4}, {9}})).containsExactly(0, 1);
            assertThat(one.predict(new double[][] {{1.6}})).containsExactly(1);
            // Near 1.4 the two nearest are 1 (class 0) and 2 (class 1): a tie, won by the nearer, class 0.
            assertThat(two.predict(new double[][] {{1.4}})).containsExactly(0);
        }
    }

    @Test
    void theMajorityBaselinePredictsTheMostFrequentTrainingClass() {
        try (Classifier m = new MajorityClass().fit(X, Y, 3, 0)) {
            assertThat(m.predict(new double[][] {{0}, {5}})).containsExactly(1, 1);
        }
    }
}
