package kiban.data.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kiban.core.error.InvalidInputException;
import kiban.core.error.KibanException;
import kiban.data.table.BoolColumn;
import kiban.data.table.Column;
import kiban.data.table.DoubleColumn;
import kiban.data.table.FloatColumn;
import kiban.data.table.LongColumn;
import kiban.data.table.StringColumn;
import kiban.data.table.StringListColumn;
import kiban.data.table.Table;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Reads and writes {@link Table}s as Parquet files (Snappy, no dictionary: vectors of floats do not repeat).
 *
 * <p>A footer is outside input: the row count it declares must be plausible for the file's size
 * (at most {@value #MAX_ROWS_PER_BYTE} rows per byte; LeRobot's and Kiban's files hold well under
 * one), arrays are sized from what the pages hold rather than from the footer, and every column
 * must hold exactly the declared rows.
 */
public final class ParquetTables {

    /** The most rows a footer may declare per byte of its file; a larger claim is a corrupt or hostile footer. */
    public static final int MAX_ROWS_PER_BYTE = 64;

    private static final PrimitiveConverter IGNORE = new PrimitiveConverter() { };
    private static final Configuration CONF = new Configuration(false);

    private ParquetTables() {
    }

    /** The Parquet schema Kiban writes for a table. */
    public static MessageType schemaOf(Table table) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        table.columns().forEach((name, col) -> b.addField(fieldOf(name, col)));
        return b.named("schema");
    }

    private static Type fieldOf(String name, Column col) {
        PrimitiveType element = switch (col) {
            case FloatColumn f -> Types.optional(PrimitiveTypeName.FLOAT).named("element");
            case DoubleColumn d -> Types.optional(PrimitiveTypeName.DOUBLE).named("element");
            case LongColumn l -> Types.optional(PrimitiveTypeName.INT64).named("element");
            case BoolColumn bo -> Types.optional(PrimitiveTypeName.BOOLEAN).named("element");
            case StringColumn s -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("element");
            case StringListColumn s -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("element");
        };
        if (!col.list()) {
            return Types.optional(element.getPrimitiveTypeName()).as(element.getLogicalTypeAnnotation()).named(name);
        }
        return Types.optionalGroup().as(LogicalTypeAnnotation.listType())
                .addField(Types.repeatedGroup().addField(element).named("list")).named(name);
    }

    /** Writes {@code table} to {@code file} (replacing it), with key-value {@code metadata} in the footer. */
    public static void write(Path file, Table table, Map<String, String> metadata) {
        MessageType schema = schemaOf(table);
        try (ParquetWriter<Integer> w = new Builder(new LocalOutputFile(file), new TableWriteSupport(table, schema, metadata))
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withDictionaryEncoding(false)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withConf(CONF)
                .build()) {
            for (int i = 0; i < table.rows(); i++) {
                w.write(i);
            }
        } catch (IOException e) {
            throw new KibanException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the row groups of {@code parts} (Parquet files of one schema) into {@code file}, copying
     * their pages as they are, without decoding them.
     */
    public static void concatFiles(Path file, List<Path> parts, Map<String, String> metadata) {
        try {
            MessageType schema = footerSchema(parts.get(0));
            ParquetFileWriter w = new ParquetFileWriter(new LocalOutputFile(file), schema, ParquetFileWriter.Mode.OVERWRITE,
                    ParquetWriter.DEFAULT_BLOCK_SIZE, ParquetWriter.MAX_PADDING_SIZE_DEFAULT);
            w.start();
            for (Path p : parts) {
                MessageType s = footerSchema(p);
                if (!s.equals(schema)) {
                    throw new InvalidInputException(p.toString(), "schema", schema.toString(), s.toString());
                }
                w.appendFile(new ChannelInputFile(p));
            }
            w.end(metadata);
        } catch (IOException e) {
            throw new KibanException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static MessageType footerSchema(Path file) throws IOException {
        try (ParquetFileReader r = open(file)) {
            return r.getFooter().getFileMetaData().getSchema();
        }
    }

    /** Number of rows in a Parquet file, from its footer (checked against the file's size). */
    public static long rowCount(Path file) {
        try (ParquetFileReader r = open(file)) {
            return checkedRowCount(file, r);
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    /** The footer's key-value metadata (such as pandas' {@code pandas} entry). */
    public static Map<String, String> keyValueMetadata(Path file) {
        try (ParquetFileReader r = open(file)) {
            return Map.copyOf(r.getFooter().getFileMetaData().getKeyValueMetaData());
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    private static long checkedRowCount(Path file, ParquetFileReader r) throws IOException {
        long total = r.getRecordCount();
        long size = Files.size(file);
        if (total < 0 || total > Integer.MAX_VALUE || total > size * MAX_ROWS_PER_BYTE) {
            throw new InvalidInputException(file.toString(), "num_rows", "a row count the file can hold (at most "
                    + Math.min(Integer.MAX_VALUE, size * MAX_ROWS_PER_BYTE) + " for " + size + " bytes)", Long.toString(total));
        }
        return total;
    }

    /** Footer key-value metadata and schema of a file. */
    public static MessageType schema(Path file) {
        try {
            return footerSchema(file);
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    /** Reads every column Kiban can represent. */
    public static Table read(Path file) {
        return read(file, null);
    }

    /**
     * Reads the named columns ({@code null}: all readable ones) of a file. Columns of a kind Kiban
     * does not read (structs such as image structs, nested lists, INT96 or fixed-length binary) are
     * skipped when reading all, and an error when named.
     */
    public static Table read(Path file, Set<String> wanted) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file.toString(), "", "a Parquet file", "no such file");
        }
        try (ParquetFileReader r = open(file)) {
            MessageType schema = r.getFooter().getFileMetaData().getSchema();
            VersionParser.ParsedVersion version = parseVersion(r.getFooter().getFileMetaData().getCreatedBy());
            List<String> names = new ArrayList<>();
            List<ColumnDescriptor> descs = new ArrayList<>();
            List<Boolean> lists = new ArrayList<>();
            for (Type field : schema.getFields()) {
                String name = field.getName();
                if (wanted != null && !wanted.contains(name)) {
                    continue;
                }
                ColumnDescriptor desc = leafOf(schema, field);
                if (desc == null || !ColumnSink.supports(desc)) {
                    if (wanted != null) {
                        throw new InvalidInputException(file.toString(), name, "a scalar or a list column of numbers, booleans or "
                                + "strings", field.toString());
                    }
                    // Reading all columns: one Kiban has no use for (a struct, INT96 time, float16) is left out.
                    continue;
                }
                names.add(name);
                descs.add(desc);
                lists.add(desc.getMaxRepetitionLevel() > 0);
            }
            if (wanted != null && names.size() != wanted.size()) {
                List<String> missing = new ArrayList<>(wanted);
                missing.removeAll(names);
                throw new InvalidInputException(file.toString(), String.join(",", missing), "a column", "none of that name");
            }
            long total = checkedRowCount(file, r);
            // Sized from the file, not the footer: the arrays grow with what the pages really hold.
            int expected = (int) Math.min(total, Files.size(file));
            List<ColumnSink> sinks = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                sinks.add(ColumnSink.of(descs.get(i), lists.get(i), expected));
            }
            PageReadStore rg;
            while ((rg = r.readNextRowGroup()) != null) {
                for (int i = 0; i < descs.size(); i++) {
                    PageReader slow = FastPages.decode(descs.get(i), rg.getPageReader(descs.get(i)), sinks.get(i));
                    if (slow != null) {
                        sinks.get(i).consume(new ColumnReaderImpl(descs.get(i), slow, IGNORE, version));
                    }
                }
            }
            LinkedHashMap<String, Column> cols = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                if (sinks.get(i).rows != total) {
                    throw new InvalidInputException(file.toString(), names.get(i), total + " rows, as the footer declares",
                            sinks.get(i).rows + " rows in its pages");
                }
                cols.put(names.get(i), sinks.get(i).finish(file, names.get(i)));
            }
            return new Table(cols, (int) total);
        } catch (KibanException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unreadable(file, e);
        }
    }

    private static KibanException unreadable(Path file, Exception e) {
        if (e instanceof KibanException k) {
            return k;
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new InvalidInputException(file.toString(), "", "a readable Parquet file", "corrupt or truncated (" + msg + ")");
    }

    static ParquetFileReader open(Path file) throws IOException {
        return ParquetFileReader.open(new ChannelInputFile(file));
    }

    private static VersionParser.ParsedVersion parseVersion(String createdBy) {
        try {
            return createdBy == null ? null : VersionParser.parse(createdBy);
        } catch (VersionParser.VersionParseException | RuntimeException e) {
            return null;
        }
    }

    /** The single leaf of a scalar or (2- or 3-level) list field; null for structs and maps. */
    private static ColumnDescriptor leafOf(MessageType schema, Type field) {
        List<ColumnDescriptor> leaves = new ArrayList<>();
        for (ColumnDescriptor d : schema.getColumns()) {
            if (d.getPath()[0].equals(field.getName())) {
                leaves.add(d);
            }
        }
        if (leaves.size() != 1) {
            return null;
        }
        ColumnDescriptor d = leaves.get(0);
        if (field.isPrimitive()) {
            return d.getMaxRepetitionLevel() == 0 ? d : null;
        }
        GroupType g = field.asGroupType();
        boolean isList = g.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation;
        return isList && d.getMaxRepetitionLevel() == 1 ? d : null;
    }

    private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
        private final WriteSupport<Integer> support;

        Builder(OutputFile file, WriteSupport<Integer> support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
            return support;
        }
    }
}
