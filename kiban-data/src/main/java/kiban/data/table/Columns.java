package kiban.data.table;

import java.util.ArrayList;
import java.util.List;

/** Helpers on columns. */
public final class Columns {

    private Columns() {
    }

    /** The rows of {@code parts}, in order; every part must be of the same kind and width. */
    public static Column concat(List<Column> parts) {
        Column first = parts.get(0);
        int rows = parts.stream().mapToInt(Column::rows).sum();
        int w = first.width();
        for (Column p : parts) {
            if (p.getClass() != first.getClass() || p.width() != w) {
                throw new IllegalArgumentException("cannot concatenate " + p.dtype() + "[" + p.width() + "] to "
                        + first.dtype() + "[" + w + "]");
            }
        }
        int pos = 0;
        switch (first) {
            case FloatColumn f -> {
                float[] out = new float[rows * w];
                for (Column p : parts) {
                    float[] v = ((FloatColumn) p).values();
                    System.arraycopy(v, 0, out, pos, v.length);
                    pos += v.length;
                }
                return new FloatColumn(out, w, f.list());
            }
            case DoubleColumn d -> {
                double[] out = new double[rows * w];
                for (Column p : parts) {
                    double[] v = ((DoubleColumn) p).values();
                    System.arraycopy(v, 0, out, pos, v.length);
                    pos += v.length;
                }
                return new DoubleColumn(out, w, d.list());
            }
            case LongColumn l -> {
                long[] out = new long[rows * w];
                for (Column p : parts) {
                    long[] v = ((LongColumn) p).values();
                    System.arraycopy(v, 0, out, pos, v.length);
                    pos += v.length;
                }
                return new LongColumn(out, w, l.list());
            }
            case BoolColumn b -> {
                boolean[] out = new boolean[rows * w];
                for (Column p : parts) {
                    boolean[] v = ((BoolColumn) p).values();
                    System.arraycopy(v, 0, out, pos, v.length);
                    pos += v.length;
                }
                return new BoolColumn(out, w, b.list());
            }
            case StringColumn s -> {
                String[] out = new String[rows];
                for (Column p : parts) {
                    String[] v = ((StringColumn) p).values();
                    System.arraycopy(v, 0, out, pos, v.length);
                    pos += v.length;
                }
                return new StringColumn(out);
            }
            case StringListColumn s -> {
                List<List<String>> out = new ArrayList<>(rows);
                for (Column p : parts) {
                    out.addAll(((StringListColumn) p).values());
                }
                return new StringListColumn(out);
            }
        }
    }
}
