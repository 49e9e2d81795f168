package kiban.data.table;

import java.util.Arrays;

/** int64 elements (int32 columns are widened on read), row-major. */
public record LongColumn(long[] values, int width, boolean list) implements Column {

    public LongColumn {
        if (width <= 0 || values.length % width != 0) {
            throw new IllegalArgumentException("values length " + values.length + " is not a multiple of width " + width);
        }
    }

    /** A scalar int64 column. */
    public static LongColumn scalar(long[] values) {
        return new LongColumn(values, 1, false);
    }

    @Override
    public int rows() {
        return values.length / width;
    }

    @Override
    public double getDouble(int row, int j) {
        return values[row * width + j];
    }

    public long get(int row) {
        return values[row * width];
    }

    @Override
    public LongColumn slice(int from, int to) {
        return new LongColumn(Arrays.copyOfRange(values, from * width, to * width), width, list);
    }

    @Override
    public String dtype() {
        return "int64";
    }
    /** Equal when kind, width, list flag and every element (bitwise for floats) are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof LongColumn o && width == o.width && list == o.list && Arrays.equals(values, o.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + width;
    }

    @Override
    public String toString() {
        return "LongColumn[rows=" + rows() + ", width=" + width + ", list=" + list + "]";
    }
}
