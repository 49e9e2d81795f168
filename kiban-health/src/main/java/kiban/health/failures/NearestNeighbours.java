package kiban.health.failures;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The k-nearest-neighbour baseline: Euclidean distance on the standardised features, a majority
 * vote of the {@code k} nearest training rows, a tie going to the tied class with the nearest row.
 */
public record NearestNeighbours(int k) implements Learner {

    public NearestNeighbours {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    @Override
    public String name() {
        return k + "-nn";
    }

    @Override
    public Classifier fit(double[][] x, int[] y, int classes, long seed) {
        double[][] train = x.clone();
        int[] labels = y.clone();
        return rows -> Arrays.stream(rows).mapToInt(r -> vote(train, labels, classes, r)).toArray();
    }

    private int vote(double[][] train, int[] labels, int classes, double[] row) {
        double[] d = Arrays.stream(train).mapToDouble(t -> distance(t, row)).toArray();
        Integer[] order = IntStream.range(0, train.length).boxed().sorted(Comparator.comparingDouble(i -> d[i])).toArray(Integer[]::new);
        int[] votes = new int[classes];
        int n = Math.min(k, train.length);
        for (int i = 0; i < n; i++) {
            votes[labels[order[i]]]++;
        }
        int most = Arrays.stream(votes).max().orElse(0);
        // The nearest row whose class has the most votes: with k = 1 the nearest row, and a tie broken by distance.
        for (int i = 0; i < n; i++) {
            if (votes[labels[order[i]]] == most) {
                return labels[order[i]];
            }
        }
        throw new IllegalStateException("no neighbour");
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }
}
