package kiban.policy.model;

import java.util.Arrays;

/**
 * How strongly each output of a chunk is pulled toward its target in real-time chunking's guided
 * sampling (the paper's mask {@code W}), and how many leading outputs are frozen: those weigh 1
 * and are returned exactly as their targets.
 */
public record GuidanceWeights(float[] weights, int frozenOutputs) {

    public GuidanceWeights {
        weights = weights.clone();
        if (frozenOutputs < 0 || frozenOutputs > weights.length) {
            throw new IllegalArgumentException("frozen outputs must lie in [0, " + weights.length + "], got " + frozenOutputs);
        }
    }

    /** The frozen outputs weigh 1, every other 0 (a hard mask). */
    public static GuidanceWeights hard(int outputs, int frozenOutputs) {
        if (frozenOutputs < 0 || frozenOutputs > outputs) {
            throw new IllegalArgumentException("frozen outputs must lie in [0, " + outputs + "], got " + frozenOutputs);
        }
        float[] w = new float[outputs];
        Arrays.fill(w, 0, frozenOutputs, 1f);
        return new GuidanceWeights(w, frozenOutputs);
    }

    /**
     * The soft mask of Black, Galliker and Levine 2025 (their eq. 5) over a chunk of {@code rows} rows
     * of {@code actionDim} outputs: the first {@code frozenRows} weigh 1; row {@code i} of the rest of
     * the previous chunk's overlap ({@code frozenRows <= i < overlapRows}) weighs
     * {@code c (e^c - 1) / (e - 1)} with {@code c = (overlapRows - i) / (overlapRows - frozenRows + 1)},
     * falling from near 1 to near 0; rows past the overlap weigh 0.
     */
    public static GuidanceWeights soft(int rows, int actionDim, int frozenRows, int overlapRows) {
        if (frozenRows < 0 || frozenRows > overlapRows || overlapRows > rows) {
            throw new IllegalArgumentException("need 0 <= frozen rows <= overlap rows <= " + rows + ", got " + frozenRows
                    + " and " + overlapRows);
        }
        float[] w = new float[rows * actionDim];
        for (int i = 0; i < overlapRows; i++) {
            float weight = 1f;
            if (i >= frozenRows) {
                double c = (double) (overlapRows - i) / (overlapRows - frozenRows + 1);
                weight = (float) (c * Math.expm1(c) / Math.expm1(1));
            }
            Arrays.fill(w, i * actionDim, (i + 1) * actionDim, weight);
        }
        return new GuidanceWeights(w, frozenRows * actionDim);
    }

    /**
     * Real-time chunking's mask over a chunk of {@code rows} rows of {@code actionDim} outputs whose
     * first {@code frozenRows} are frozen and the next {@code followingRows} followed: the hard mask
     * where none are followed, else the soft one over both.
     */
    public static GuidanceWeights continuing(int rows, int actionDim, int frozenRows, int followingRows) {
        return followingRows == 0 ? hard(rows * actionDim, frozenRows * actionDim)
                : soft(rows, actionDim, frozenRows, frozenRows + followingRows);
    }

    /** The number of outputs of the chunk. */
    public int outputs() {
        return weights.length;
    }

    /** Whether any output is guided at all. */
    public boolean guides() {
        for (float w : weights) {
            if (w != 0f) {
                return true;
            }
        }
        return false;
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuidanceWeights g && frozenOutputs == g.frozenOutputs && Arrays.equals(weights, g.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weights) + frozenOutputs;
    }

    @Override
    public String toString() {
        return "GuidanceWeights" + Arrays.toString(weights) + ", frozen " + frozenOutputs;
    }
}
