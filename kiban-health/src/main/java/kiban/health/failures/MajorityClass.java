package kiban.health.failures;

import java.util.Arrays;

/** The baseline that predicts the training rows' most frequent class (the lowest index on a tie). */
public record MajorityClass() implements Learner {

    @Override
    public String name() {
        return "majority";
    }

    @Override
    public Classifier fit(double[][] x, int[] y, int classes, long seed) {
        int[] counts = new int[classes];
        for (int c : y) {
            counts[c]++;
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        int answer = best;
        return rows -> {
            int[] out = new int[rows.length];
            Arrays.fill(out, answer);
            return out;
        };
    }
}
