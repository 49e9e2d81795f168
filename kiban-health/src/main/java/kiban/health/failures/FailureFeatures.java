package kiban.health.failures;

/**
 * The inputs the classifiers see: the 90 raw readings (15 samples of 6 channels), then for each
 * channel its mean, standard deviation, minimum, maximum and the change from first to last
 * sample, the kind of summary features Seabra Lopes and Camarinha-Matos found to help on this data.
 */
public final class FailureFeatures {

    /** Summary statistics per channel. */
    static final int SUMMARIES = 5;
    public static final int SIZE = FailureInstance.SAMPLES * FailureInstance.CHANNELS + SUMMARIES * FailureInstance.CHANNELS;

    private FailureFeatures() {}

    public static double[] of(FailureInstance instance) {
        int[][] r = instance.readings();
        double[] f = new double[SIZE];
        int k = 0;
        for (int[] row : r) {
            for (int v : row) {
                f[k++] = v;
            }
        }
        for (int c = 0; c < FailureInstance.CHANNELS; c++) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int[] row : r) {
                sum += row[c];
                min = Math.min(min, row[c]);
                max = Math.max(max, row[c]);
            }
            double mean = sum / r.length;
            double squares = 0;
            for (int[] row : r) {
                squares += (row[c] - mean) * (row[c] - mean);
            }
            f[k++] = mean;
            f[k++] = Math.sqrt(squares / r.length);
            f[k++] = min;
            f[k++] = max;
            f[k++] = r[r.length - 1][c] - r[0][c];
        }
        return f;
    }

    /** The features of every instance of {@code data} whose index {@code rows} holds. */
    public static double[][] of(FailureDataset data, int[] rows) {
        double[][] x = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            x[i] = of(data.instances().get(rows[i]));
        }
        return x;
    }
}
