package kiban.data.table;

import java.util.Arrays;

/** float64 elements, row-major. */
public record DoubleColumn(double[] values, int width, boolean list) implements Column {

    public DoubleColumn {
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

    public double[] row(int i) {
        return Arrays.copyOfRange(values, i * width, (i + 1) * width);
    }

    @Override
    public DoubleColumn slice(int from, int to) {
        return new DoubleColumn(Arrays.copyOfRange(values, from * width, to * width), width, list);
    }

    @Override
    public String dtype() {
        return "float64";
    }
    /** Equal when kind, width, list flag and every element (bitwise for floats) are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof DoubleColumn o && width == o.width && list == o.list && Arrays.equals(values, o.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + width;
    }

    @Override
    public String toString() {
        return "DoubleColumn[rows=" + rows() + ", width=" + width + ", list=" + list + "]";
    }
}
