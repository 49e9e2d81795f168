package kiban.data.parquet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kiban.core.error.InvalidInputException;
import kiban.data.table.BoolColumn;
import kiban.data.table.Column;
import kiban.data.table.DoubleColumn;
import kiban.data.table.FloatColumn;
import kiban.data.table.LongColumn;
import kiban.data.table.StringColumn;
import kiban.data.table.StringListColumn;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Gathers one leaf column's values, row group after row group, into a growable primitive array.
 * Nulls become NaN (floats), 0 (integers) or false; list rows must all have the same length
 * except for string lists.
 */
abstract class ColumnSink {

    final int maxDef;
    final boolean list;
    int rows;
    int listLen = -1;
    boolean ragged;
    private int current = -1;

    ColumnSink(ColumnDescriptor d, boolean list) {
        this.maxDef = d.getMaxDefinitionLevel();
        this.list = list;
    }

    /** Whether the leaf's physical type is one Kiban reads. */
    static boolean supports(ColumnDescriptor d) {
        return switch (d.getPrimitiveType().getPrimitiveTypeName()) {
            case FLOAT, DOUBLE, INT64, INT32, BOOLEAN, BINARY -> true;
            default -> false;
        };
    }

    static ColumnSink of(ColumnDescriptor d, boolean list, int expectedRows) {
        PrimitiveTypeName t = d.getPrimitiveType().getPrimitiveTypeName();
        return switch (t) {
            case FLOAT -> new Floats(d, list, expectedRows);
            case DOUBLE -> new Doubles(d, list, expectedRows);
            case INT64, INT32 -> new Longs(d, list, expectedRows, t == PrimitiveTypeName.INT32);
            case BOOLEAN -> new Bools(d, list, expectedRows);
            case BINARY -> new Strings(d, list);
            default -> throw new IllegalStateException("unsupported Parquet type " + t + " in " + Arrays.toString(d.getPath()));
        };
    }

    final void consume(ColumnReaderImpl r) {
        long n = r.getTotalValueCount();
        for (long i = 0; i < n; i++) {
            int rep = r.getCurrentRepetitionLevel();
            int def = r.getCurrentDefinitionLevel();
            if (rep == 0) {
                endRow();
                rows++;
                current = 0;
                startRow();
            }
            if (!list) {
                if (def == maxDef) {
                    value(r);
                } else {
                    nullValue();
                }
            } else if (def == maxDef) {
                value(r);
                current++;
            } else if (def >= maxDef - 1 && maxDef >= 2) {
                // A null element inside a list: keep the width.
                nullValue();
                current++;
            }
            r.consume();
        }
        endRow();
        current = -1;
    }

    private void endRow() {
        if (current < 0 || !list) {
            return;
        }
        if (listLen < 0) {
            listLen = current;
        } else if (listLen != current) {
            ragged = true;
        }
        current = -1;
    }

    void startRow() {
    }

    /** Bulk-appends {@code count} PLAIN little-endian values forming {@code rows} rows of {@code width}. */
    void appendPlain(java.nio.ByteBuffer values, int count, int rowsAdded, int width) {
        throw new UnsupportedOperationException();
    }

    /** Records rows appended in bulk. */
    final void bulkRows(int rowsAdded, int width) {
        rows += rowsAdded;
        if (list && rowsAdded > 0) {
            if (listLen < 0) {
                listLen = width;
            } else if (listLen != width) {
                ragged = true;
            }
        }
    }

    abstract void value(ColumnReaderImpl r);

    abstract void nullValue();

    abstract Column build(int width);

    final Column finish(Path file, String name) {
        int width = list ? listLen : 1;
        if (rows == 0 && list) {
            width = 1;
        }
        if (ragged && !(this instanceof Strings)) {
            throw new InvalidInputException(file.toString(), name, "lists of one fixed length", "lists of varying length");
        }
        if (width == 0) {
            throw new InvalidInputException(file.toString(), name, "non-empty lists", "empty lists");
        }
        return build(width);
    }

    private static final class Floats extends ColumnSink {
        float[] v;
        int n;

        Floats(ColumnDescriptor d, boolean list, int rows) {
            super(d, list);
            v = new float[Math.max(16, rows)];
        }

        private void put(float x) {
            if (n == v.length) {
                v = Arrays.copyOf(v, v.length * 2);
            }
            v[n++] = x;
        }

        @Override
        void value(ColumnReaderImpl r) {
            put(r.getFloat());
        }

        @Override
        void nullValue() {
            put(Float.NaN);
        }

        @Override
        void appendPlain(java.nio.ByteBuffer values, int count, int rowsAdded, int width) {
            if (n + count > v.length) {
                v = Arrays.copyOf(v, Math.max(n + count, v.length * 2));
            }
            values.asFloatBuffer().get(v, n, count);
            n += count;
            bulkRows(rowsAdded, width);
        }

        @Override
        Column build(int width) {
            return new FloatColumn(n == v.length ? v : Arrays.copyOf(v, n), width, list);
        }
    }

    private static final class Doubles extends ColumnSink {
        double[] v;
        int n;

        Doubles(ColumnDescriptor d, boolean list, int rows) {
            super(d, list);
            v = new double[Math.max(16, rows)];
        }

        private void put(double x) {
            if (n == v.length) {
                v = Arrays.copyOf(v, v.length * 2);
            }
            v[n++] = x;
        }

        @Override
        void value(ColumnReaderImpl r) {
            put(r.getDouble());
        }

        @Override
        void nullValue() {
            put(Double.NaN);
        }

        @Override
        void appendPlain(java.nio.ByteBuffer values, int count, int rowsAdded, int width) {
            if (n + count > v.length) {
                v = Arrays.copyOf(v, Math.max(n + count, v.length * 2));
            }
            values.asDoubleBuffer().get(v, n, count);
            n += count;
            bulkRows(rowsAdded, width);
        }

        @Override
        Column build(int width) {
            return new DoubleColumn(n == v.length ? v : Arrays.copyOf(v, n), width, list);
        }
    }

    private static final class Longs extends ColumnSink {
        long[] v;
        int n;
        final boolean int32;

        Longs(ColumnDescriptor d, boolean list, int rows, boolean int32) {
            super(d, list);
            this.int32 = int32;
            v = new long[Math.max(16, rows)];
        }

        private void put(long x) {
            if (n == v.length) {
                v = Arrays.copyOf(v, v.length * 2);
            }
            v[n++] = x;
        }

        @Override
        void value(ColumnReaderImpl r) {
            put(int32 ? r.getInteger() : r.getLong());
        }

        @Override
        void nullValue() {
            put(0);
        }

        @Override
        void appendPlain(java.nio.ByteBuffer values, int count, int rowsAdded, int width) {
            if (n + count > v.length) {
                v = Arrays.copyOf(v, Math.max(n + count, v.length * 2));
            }
            if (int32) {
                var ib = values.asIntBuffer();
                for (int i = 0; i < count; i++) {
                    v[n + i] = ib.get(i);
                }
            } else {
                values.asLongBuffer().get(v, n, count);
            }
            n += count;
            bulkRows(rowsAdded, width);
        }

        @Override
        Column build(int width) {
            return new LongColumn(n == v.length ? v : Arrays.copyOf(v, n), width, list);
        }
    }

    private static final class Bools extends ColumnSink {
        boolean[] v;
        int n;

        Bools(ColumnDescriptor d, boolean list, int rows) {
            super(d, list);
            v = new boolean[Math.max(16, rows)];
        }

        private void put(boolean x) {
            if (n == v.length) {
                v = Arrays.copyOf(v, v.length * 2);
            }
            v[n++] = x;
        }

        @Override
        void value(ColumnReaderImpl r) {
            put(r.getBoolean());
        }

        @Override
        void nullValue() {
            put(false);
        }

        @Override
        Column build(int width) {
            return new BoolColumn(Arrays.copyOf(v, n), width, list);
        }
    }

    private static final class Strings extends ColumnSink {
        final List<List<String>> rowsOut = new ArrayList<>();
        List<String> cur;

        Strings(ColumnDescriptor d, boolean list) {
            super(d, list);
        }

        @Override
        void startRow() {
            cur = new ArrayList<>();
            rowsOut.add(cur);
        }

        @Override
        void value(ColumnReaderImpl r) {
            cur.add(r.getBinary().toStringUsingUTF8());
        }

        @Override
        void nullValue() {
            cur.add(list ? "" : null);
        }

        @Override
        Column build(int width) {
            if (list) {
                return new StringListColumn(rowsOut);
            }
            return new StringColumn(rowsOut.stream().map(l -> l.get(0)).toArray(String[]::new));
        }
    }
}
