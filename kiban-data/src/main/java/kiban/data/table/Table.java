package kiban.data.table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.KibanException;

/** Named columns of equal row count, in a fixed order. */
public record Table(Map<String, Column> columns, int rows) {

    public Table {
        LinkedHashMap<String, Column> copy = new LinkedHashMap<>(columns);
        for (var e : copy.entrySet()) {
            if (e.getValue().rows() != rows) {
                throw new IllegalArgumentException("column " + e.getKey() + " has " + e.getValue().rows() + " rows, expected " + rows);
            }
        }
        columns = Collections.unmodifiableMap(copy);
    }

    /** A table from columns that must all have the same row count. */
    public static Table of(Map<String, Column> columns) {
        int rows = columns.isEmpty() ? 0 : columns.values().iterator().next().rows();
        return new Table(columns, rows);
    }

    public Column column(String name) {
        Column c = columns.get(name);
        if (c == null) {
            throw new KibanException("no column '" + name + "'; columns are " + columns.keySet());
        }
        return c;
    }

    public boolean has(String name) {
        return columns.containsKey(name);
    }

    public FloatColumn floats(String name) {
        return (FloatColumn) typed(name, FloatColumn.class);
    }

    public LongColumn longs(String name) {
        return (LongColumn) typed(name, LongColumn.class);
    }

    private Column typed(String name, Class<? extends Column> type) {
        Column c = column(name);
        if (!type.isInstance(c)) {
            throw new KibanException("column '" + name + "' holds " + c.dtype() + ", not " + type.getSimpleName());
        }
        return c;
    }

    public Table slice(int from, int to) {
        LinkedHashMap<String, Column> out = new LinkedHashMap<>();
        columns.forEach((k, v) -> out.put(k, v.slice(from, to)));
        return new Table(out, to - from);
    }

    /** Rows of all tables, one after another; every table needs the same columns. */
    public static Table concat(List<Table> tables) {
        if (tables.isEmpty()) {
            return new Table(Map.of(), 0);
        }
        if (tables.size() == 1) {
            return tables.get(0);
        }
        LinkedHashMap<String, Column> out = new LinkedHashMap<>();
        int rows = tables.stream().mapToInt(Table::rows).sum();
        for (String name : tables.get(0).columns().keySet()) {
            List<Column> parts = new ArrayList<>();
            for (Table t : tables) {
                parts.add(t.column(name));
            }
            out.put(name, Columns.concat(parts));
        }
        return new Table(out, rows);
    }
}
