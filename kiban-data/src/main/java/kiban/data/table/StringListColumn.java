package kiban.data.table;

import java.util.Arrays;
import java.util.List;

/** A list of strings per row, of any length (such as an episode's {@code tasks}). */
public record StringListColumn(List<List<String>> values) implements Column {

    public StringListColumn {
        values = List.copyOf(values);
    }

    @Override
    public int rows() {
        return values.size();
    }

    @Override
    public int width() {
        return 1;
    }

    @Override
    public boolean list() {
        return true;
    }

    @Override
    public double getDouble(int row, int j) {
        return Double.NaN;
    }

    @Override
    public StringListColumn slice(int from, int to) {
        return new StringListColumn(values.subList(from, to));
    }

    @Override
    public String dtype() {
        return "string";
    }

    @Override
    public String toString() {
        return "StringListColumn" + Arrays.toString(values.toArray());
    }
}
