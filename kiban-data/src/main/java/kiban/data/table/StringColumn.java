package kiban.data.table;

import java.util.Arrays;

/** One UTF-8 string per row. */
public record StringColumn(String[] values) implements Column {

    @Override
    public int rows() {
        return values.length;
    }

    @Override
    public int width() {
        return 1;
    }

    @Override
    public boolean list() {
        return false;
    }

    @Override
    public double getDouble(int row, int j) {
        return Double.NaN;
    }

    @Override
    public StringColumn slice(int from, int to) {
        return new StringColumn(Arrays.copyOfRange(values, from, to));
    }

    @Override
    public String dtype() {
        return "string";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StringColumn o && Arrays.equals(values, o.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "StringColumn[rows=" + values.length + "]";
    }
}
