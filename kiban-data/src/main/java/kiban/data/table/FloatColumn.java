package kiban.data.table;

import java.util.Arrays;

/** float32 elements, row-major. */
public record FloatColumn(float[] values, int width, boolean list) implements Column {

    public FloatColumn {
        if (width <= 0 || values.length % width != 0) {
            throw new IllegalArgumentException("values length " + values.length + " is not a multiple of width " + width);
        }
    }

    @Override
    public int rows() {
        return values.length / width;
    }

    @Override
    public double getDouble(int row, int j) {
        return values[row * width + j];
    }

    public float get(int row, int j) {
        return values[row * width + j];
    }

    /** Row {@code i} as a new array. */
    public float[] row(int i) {
        return Arrays.copyOfRange(values, i * width, (i + 1) * width);
    }

    @Override
    public FloatColumn slice(int from, int to) {
        return new FloatColumn(Arrays.copyOfRange(values, from * width, to * width), width, list);
    }

    @Override
    public String dtype() {
        return "float32";
    }
    /** Equal when kind, width, list flag and every element (bitwise for floats) are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof FloatColumn o && width == o.width && list == o.list && Arrays.equals(values, o.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + width;
    }

    @Override
    public String toString() {
        return "FloatColumn[rows=" + rows() + ", width=" + width + ", list=" + list + "]";
    }
}
