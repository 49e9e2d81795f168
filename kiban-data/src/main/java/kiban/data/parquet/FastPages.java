package kiban.data.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * A bulk decoder for the common case of a column chunk with no dictionary, v1 data pages, PLAIN
 * values, no nulls and (for lists) one fixed length: the values are copied from the page bytes as
 * one array. Anything else goes back to parquet-hadoop's per-value reader, replaying the same pages.
 */
final class FastPages {

    private FastPages() {
    }

    /** Reads the chunk into {@code sink}; returns a replaying reader when it must be decoded per value. */
    static PageReader decode(ColumnDescriptor desc, PageReader pages, ColumnSink sink) throws IOException {
        DictionaryPage dict = pages.readDictionaryPage();
        List<DataPage> all = new ArrayList<>();
        for (DataPage p = pages.readPage(); p != null; p = pages.readPage()) {
            all.add(p);
        }
        PrimitiveTypeName type = desc.getPrimitiveType().getPrimitiveTypeName();
        boolean typeOk = type == PrimitiveTypeName.FLOAT || type == PrimitiveTypeName.DOUBLE || type == PrimitiveTypeName.INT64
                || type == PrimitiveTypeName.INT32;
        if (dict == null && typeOk && desc.getMaxRepetitionLevel() <= 1) {
            List<ByteBuffer> values = new ArrayList<>();
            List<int[]> counts = new ArrayList<>();
            int width = sink.listLen;
            boolean ok = true;
            for (int idx = 0; idx < all.size(); idx++) {
                if (!(all.get(idx) instanceof DataPageV1 v1) || v1.getValueEncoding() != Encoding.PLAIN) {
                    ok = false;
                    break;
                }
                ByteBuffer raw = v1.getBytes().toByteBuffer();
                // The page's bytes may be readable once only: keep a copy for the per-value reader.
                all.set(idx, new DataPageV1(BytesInput.from(raw.duplicate()), v1.getValueCount(), v1.getUncompressedSize(),
                        v1.getStatistics(), v1.getRlEncoding(), v1.getDlEncoding(), v1.getValueEncoding()));
                ByteBuffer buf = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                int n = v1.getValueCount();
                int rows = n;
                if (desc.getMaxRepetitionLevel() > 0) {
                    LevelCheck rep = new LevelCheck(true, 0);
                    int w = scan(buf, desc.getMaxRepetitionLevel(), n, v1.getRlEncoding(), rep) ? rep.width() : -1;
                    if (w <= 0 || (width > 0 && w != width)) {
                        ok = false;
                        break;
                    }
                    width = w;
                    rows = n / w;
                }
                if (desc.getMaxDefinitionLevel() > 0) {
                    if (!scan(buf, desc.getMaxDefinitionLevel(), n, v1.getDlEncoding(),
                            new LevelCheck(false, desc.getMaxDefinitionLevel()))) {
                        ok = false;
                        break;
                    }
                }
                values.add(buf.slice().order(ByteOrder.LITTLE_ENDIAN));
                counts.add(new int[] {n, rows});
            }
            if (ok) {
                for (int i = 0; i < values.size(); i++) {
                    sink.appendPlain(values.get(i), counts.get(i)[0], counts.get(i)[1], desc.getMaxRepetitionLevel() > 0 ? width : 1);
                }
                return null;
            }
        }
        return new Replay(dict, all, pages.getTotalValueCount());
    }

    /**
     * Runs a v1 page's levels (4-byte length, then RLE/bit-packed hybrid) through {@code check}
     * without storing them, advancing {@code buf}; false if they fail it or are not RLE.
     */
    private static boolean scan(ByteBuffer buf, int maxLevel, int n, Encoding enc, LevelCheck check) {
        if (enc != Encoding.RLE) {
            return false;
        }
        int len = buf.getInt();
        int end = buf.position() + len;
        int bitWidth = BytesUtils.getWidthFromMaxInt(maxLevel);
        int mask = (1 << bitWidth) - 1;
        int i = 0;
        boolean ok = true;
        while (ok && i < n && buf.position() < end) {
            int header = readVarInt(buf);
            if ((header & 1) == 0) {
                int count = Math.min(header >>> 1, n - i);
                int value = 0;
                for (int b = 0; b < (bitWidth + 7) / 8; b++) {
                    value |= (buf.get() & 0xFF) << (8 * b);
                }
                ok = check.run(value, count);
                i += count;
            } else {
                int total = (header >>> 1) * 8;
                long bits = 0;
                int have = 0;
                for (int k = 0; k < total; k++) {
                    while (have < bitWidth) {
                        bits |= (long) (buf.get() & 0xFF) << have;
                        have += 8;
                    }
                    if (i < n && ok) {
                        ok = check.run((int) (bits & mask), 1);
                        i++;
                    }
                    bits >>>= bitWidth;
                    have -= bitWidth;
                }
            }
        }
        buf.position(end);
        return ok && i == n;
    }

    /**
     * Checks a level stream: all equal to {@code max} (definition levels), or the repetition
     * pattern 0,1,...,1 of lists of one fixed length, which it finds.
     */
    private static final class LevelCheck {
        private final boolean repetition;
        private final int max;
        private int width = -1;
        private int pos;
        private long seen;

        LevelCheck(boolean repetition, int max) {
            this.repetition = repetition;
            this.max = max;
        }

        boolean run(int value, int count) {
            if (!repetition) {
                return value == max;
            }
            for (int k = 0; k < count; k++) {
                if (value == 0) {
                    if (seen > 0 && width < 0) {
                        width = pos;
                    }
                    if (seen > 0 && pos != width) {
                        return false;
                    }
                    pos = 1;
                } else {
                    if (seen == 0 || (width > 0 && pos >= width)) {
                        return false;
                    }
                    if (width > 0 && count - k > 1) {
                        // A run of 1s inside one list: jump over it.
                        int take = Math.min(count - k, width - pos);
                        pos += take;
                        seen += take;
                        k += take - 1;
                        continue;
                    }
                    pos++;
                }
                seen++;
            }
            return true;
        }

        /** The list length, once the whole page has been seen. */
        int width() {
            if (width < 0) {
                return pos;
            }
            return pos == width ? width : -1;
        }
    }

    private static int readVarInt(ByteBuffer buf) {
        int value = 0;
        int shift = 0;
        int b;
        do {
            b = buf.get() & 0xFF;
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }

    /** Hands back pages already read, for the per-value reader. */
    private static final class Replay implements PageReader {
        private final DictionaryPage dict;
        private final List<DataPage> pages;
        private final long total;
        private int next;

        Replay(DictionaryPage dict, List<DataPage> pages, long total) {
            this.dict = dict;
            this.pages = pages;
            this.total = total;
        }

        @Override
        public DictionaryPage readDictionaryPage() {
            return dict;
        }

        @Override
        public long getTotalValueCount() {
            return total;
        }

        @Override
        public DataPage readPage() {
            return next < pages.size() ? pages.get(next++) : null;
        }
    }
}
