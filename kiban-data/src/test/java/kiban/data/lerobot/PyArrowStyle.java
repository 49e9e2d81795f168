package kiban.data.lerobot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.data.parquet.ParquetTables;
import kiban.data.table.BoolColumn;
import kiban.data.table.Column;
import kiban.data.table.DoubleColumn;
import kiban.data.table.FloatColumn;
import kiban.data.table.LongColumn;
import kiban.data.table.StringColumn;
import kiban.data.table.StringListColumn;
import kiban.data.table.Table;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes Parquet files laid out as pandas and pyarrow write them, where that differs from Kiban's
 * own files: dictionary-encoded pages, every field optional, lists as {@code list<item>} (pyarrow
 * before 13) and the DataFrame's index stored as a column named {@code __index_level_0__} and
 * described in the footer's {@code pandas} metadata. pyarrow's {@code ARROW:schema} footer entry
 * (a base64 Arrow IPC schema) is not written; nothing in Kiban reads it.
 */
final class PyArrowStyle {

    static final String UNNAMED_INDEX = "__index_level_0__";

    /**
     * The footer pyarrow writes for LeRobot's tasks table before March 2026:
     * {@code pd.DataFrame({"task_index": range(n)}, index=tasks).to_parquet(path)}, an unnamed index
     * of strings (pyarrow's {@code pandas_compat.construct_metadata}, serialized by Python's
     * {@code json.dumps}).
     */
    static final String TASKS_PANDAS_METADATA = "{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [{\"name\": null, "
            + "\"field_name\": null, \"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": {\"encoding\": \"UTF-8\"}}], "
            + "\"columns\": [{\"name\": \"task_index\", \"field_name\": \"task_index\", \"pandas_type\": \"int64\", \"numpy_type\": "
            + "\"int64\", \"metadata\": null}, {\"name\": null, \"field_name\": \"__index_level_0__\", \"pandas_type\": \"unicode\", "
            + "\"numpy_type\": \"object\", \"metadata\": null}], \"creator\": {\"library\": \"pyarrow\", \"version\": \"18.1.0\"}, "
            + "\"pandas_version\": \"2.2.3\"}";

    private PyArrowStyle() {
    }

    /** Writes the committed test resource {@code pandas/tasks-unnamed-index.parquet} to {@code args[0]}. */
    public static void main(String[] args) {
        writeTasks(Path.of(args[0]), List.of("push the block", "lift the cube"));
    }

    /** meta/tasks.parquet as LeRobot wrote it with an unnamed pandas index holding the task strings. */
    static void writeTasks(Path file, List<String> tasks) {
        long[] idx = new long[tasks.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Map<String, Column> cols = new LinkedHashMap<>();
        cols.put("task_index", LongColumn.scalar(idx));
        cols.put(UNNAMED_INDEX, new StringColumn(tasks.toArray(String[]::new)));
        write(file, Table.of(cols), Map.of("pandas", TASKS_PANDAS_METADATA));
    }

    /**
     * Rewrites a Kiban-written Parquet file as pandas writes a DataFrame whose index is not a
     * RangeIndex (after {@code combine_first} or a filter): an int64 {@code __index_level_0__}
     * column after the others, named in the pandas metadata.
     */
    static void rewriteWithIndexColumn(Path file) {
        Table t = ParquetTables.read(file);
        Map<String, Column> cols = new LinkedHashMap<>(t.columns());
        long[] idx = new long[t.rows()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = 1000 + i;
        }
        cols.put(UNNAMED_INDEX, LongColumn.scalar(idx));
        Map<String, String> kv = new LinkedHashMap<>(ParquetTables.keyValueMetadata(file));
        kv.put("pandas", "{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [], \"columns\": [], "
                + "\"creator\": {\"library\": \"pyarrow\", \"version\": \"18.1.0\"}, \"pandas_version\": \"2.2.3\"}");
        write(file, Table.of(cols), kv);
    }

    /** Writes {@code table} in pyarrow's layout (see the class comment), replacing {@code file}. */
    static void write(Path file, Table table, Map<String, String> keyValue) {
        write(file, table, keyValue, null);
    }

    /**
     * Rewrites a Kiban-written file with one more column, {@code name}, of a type Kiban does not
     * read: INT96 timestamps, as pandas writes datetimes with {@code use_deprecated_int96_timestamps}.
     */
    static void rewriteWithInt96Column(Path file, String name) {
        Table t = ParquetTables.read(file);
        write(file, t, ParquetTables.keyValueMetadata(file), name);
    }

    private static void write(Path file, Table table, Map<String, String> keyValue, String int96Column) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        table.columns().forEach((name, col) -> b.addField(field(name, col)));
        if (int96Column != null) {
            b.addField(Types.optional(PrimitiveTypeName.INT96).named(int96Column));
        }
        MessageType schema = b.named("schema");
        try {
            Files.deleteIfExists(file);
            try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                    .withType(schema)
                    .withConf(new Configuration(false))
                    .withExtraMetaData(keyValue)
                    .withDictionaryEncoding(true)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                    .build()) {
                SimpleGroupFactory groups = new SimpleGroupFactory(schema);
                for (int row = 0; row < table.rows(); row++) {
                    Group g = groups.newGroup();
                    for (var e : table.columns().entrySet()) {
                        add(g, e.getKey(), e.getValue(), row);
                    }
                    if (int96Column != null) {
                        g.add(int96Column, Binary.fromConstantByteArray(new byte[12]));
                    }
                    w.write(g);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Type field(String name, Column col) {
        PrimitiveTypeName type = switch (col) {
            case FloatColumn f -> PrimitiveTypeName.FLOAT;
            case DoubleColumn d -> PrimitiveTypeName.DOUBLE;
            case LongColumn l -> PrimitiveTypeName.INT64;
            case BoolColumn bo -> PrimitiveTypeName.BOOLEAN;
            case StringColumn s -> PrimitiveTypeName.BINARY;
            case StringListColumn s -> PrimitiveTypeName.BINARY;
        };
        boolean string = col instanceof StringColumn || col instanceof StringListColumn;
        if (!col.list()) {
            var p = Types.optional(type);
            return (string ? p.as(LogicalTypeAnnotation.stringType()) : p).named(name);
        }
        var element = Types.optional(type);
        Type item = (string ? element.as(LogicalTypeAnnotation.stringType()) : element).named("item");
        return Types.optionalGroup().as(LogicalTypeAnnotation.listType()).addField(Types.repeatedGroup().addField(item).named("list"))
                .named(name);
    }

    private static void add(Group g, String name, Column col, int row) {
        if (!col.list()) {
            switch (col) {
                case FloatColumn f -> g.add(name, f.get(row, 0));
                case DoubleColumn d -> g.add(name, d.getDouble(row, 0));
                case LongColumn l -> g.add(name, l.get(row));
                case BoolColumn bo -> g.add(name, bo.values()[row]);
                case StringColumn s -> g.add(name, s.values()[row]);
                case StringListColumn s -> throw new IllegalStateException();
            }
            return;
        }
        Group list = g.addGroup(name);
        int n = col instanceof StringListColumn s ? s.values().get(row).size() : col.width();
        for (int j = 0; j < n; j++) {
            Group element = list.addGroup("list");
            switch (col) {
                case FloatColumn f -> element.add("item", f.get(row, j));
                case DoubleColumn d -> element.add("item", d.getDouble(row, j));
                case LongColumn l -> element.add("item", (long) l.getDouble(row, j));
                case BoolColumn bo -> element.add("item", bo.values()[row * bo.width() + j]);
                case StringListColumn s -> element.add("item", s.values().get(row).get(j));
                case StringColumn s -> throw new IllegalStateException();
            }
        }
    }

    /** Whether {@code file}'s {@code field} is a list whose element is named {@code item}, as pyarrow before 13 wrote it. */
    static boolean listElementNamedItem(Path file, String field) {
        GroupType g = ParquetTables.schema(file).getType(field).asGroupType();
        return g.getType("list").asGroupType().getFieldName(0).equals("item");
    }
}
