package kiban.data.parquet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kiban.data.table.BoolColumn;
import kiban.data.table.Column;
import kiban.data.table.DoubleColumn;
import kiban.data.table.FloatColumn;
import kiban.data.table.LongColumn;
import kiban.data.table.StringColumn;
import kiban.data.table.StringListColumn;
import kiban.data.table.Table;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Writes row {@code i} of a table; the record is the row number. */
final class TableWriteSupport extends WriteSupport<Integer> {

    private final Table table;
    private final MessageType schema;
    private final Map<String, String> metadata;
    private final List<String> names;
    private final List<Column> columns;
    private RecordConsumer out;

    TableWriteSupport(Table table, MessageType schema, Map<String, String> metadata) {
        this.table = table;
        this.schema = schema;
        this.metadata = metadata;
        this.names = new ArrayList<>(table.columns().keySet());
        this.columns = new ArrayList<>(table.columns().values());
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(schema, new HashMap<>(metadata));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(Integer record) {
        int row = record;
        out.startMessage();
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            String name = names.get(c);
            out.startField(name, c);
            if (col.list()) {
                writeList(col, row);
            } else {
                writeValue(col, row, 0);
            }
            out.endField(name, c);
        }
        out.endMessage();
    }

    private void writeList(Column col, int row) {
        out.startGroup();
        int n = col instanceof StringListColumn s ? s.values().get(row).size() : col.width();
        if (n > 0) {
            out.startField("list", 0);
            for (int j = 0; j < n; j++) {
                out.startGroup();
                out.startField("element", 0);
                writeValue(col, row, j);
                out.endField("element", 0);
                out.endGroup();
            }
            out.endField("list", 0);
        }
        out.endGroup();
    }

    private void writeValue(Column col, int row, int j) {
        switch (col) {
            case FloatColumn f -> out.addFloat(f.values()[row * f.width() + j]);
            case DoubleColumn d -> out.addDouble(d.values()[row * d.width() + j]);
            case LongColumn l -> out.addLong(l.values()[row * l.width() + j]);
            case BoolColumn b -> out.addBoolean(b.values()[row * b.width() + j]);
            case StringColumn s -> out.addBinary(Binary.fromString(s.values()[row]));
            case StringListColumn s -> out.addBinary(Binary.fromString(s.values().get(row).get(j)));
        }
    }
}
