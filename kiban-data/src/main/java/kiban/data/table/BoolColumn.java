package kiban.data.table;

import java.util.Arrays;

/** bool elements, row-major. */
public record BoolColumn(boolean[] values, int width, boolean list) implements Column {

    public BoolColumn {
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
        return values[row * width + j] ? 1 : 0;
    }

    @Override
    public BoolColumn slice(int from, int to) {
        return new BoolColumn(Arrays.copyOfRange(values, from * width, to * width), width, list);
    }

    @Override
    public String dtype() {
        return "bool";
    }
    /** Equal when kind, width, list flag and every element (bitwise for floats) are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof BoolColumn o && width == o.width && list == o.list && Arrays.equals(values, o.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + width;
    }

    @Override
    public String toString() {
        return "BoolColumn[rows=" + rows() + ", width=" + width + ", list=" + list + "]";
    }
}
