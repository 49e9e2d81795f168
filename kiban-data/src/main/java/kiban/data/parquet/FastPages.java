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
                    int[] rep = levels(buf, desc.getMaxRepetitionLevel(), n, v1.getRlEncoding());
                    if (rep == null) {
                        ok = false;
                        break;
                    }
                    int w = fixedWidth(rep);
                    if (w <= 0 || (width > 0 && w != width)) {
                        ok = false;
                        break;
                    }
                    width = w;
                    rows = n / w;
                }
                if (desc.getMaxDefinitionLevel() > 0) {
                    int[] def = levels(buf, desc.getMaxDefinitionLevel(), n, v1.getDlEncoding());
                    if (def == null || !allEqual(def, desc.getMaxDefinitionLevel())) {
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

    /** Levels of a v1 page (4-byte length, then RLE/bit-packed hybrid), advancing {@code buf}; null if not RLE. */
    private static int[] levels(ByteBuffer buf, int maxLevel, int n, Encoding enc) {
        if (enc != Encoding.RLE) {
            return null;
        }
        int len = buf.getInt();
        int end = buf.position() + len;
        int bitWidth = BytesUtils.getWidthFromMaxInt(maxLevel);
        int[] out = new int[n];
        int i = 0;
        while (i < n && buf.position() < end) {
            int header = readVarInt(buf);
            if ((header & 1) == 0) {
                int count = header >>> 1;
                int value = 0;
                for (int b = 0; b < (bitWidth + 7) / 8; b++) {
                    value |= (buf.get() & 0xFF) << (8 * b);
                }
                int to = Math.min(n, i + count);
                java.util.Arrays.fill(out, i, to, value);
                i = to;
            } else if (bitWidth == 1) {
                int bytes = header >>> 1;
                for (int k = 0; k < bytes; k++) {
                    int b = buf.get();
                    for (int bit = 0; bit < 8 && i < n; bit++) {
                        out[i++] = (b >>> bit) & 1;
                    }
                }
            } else {
                int groups = header >>> 1;
                long bits = 0;
                int have = 0;
                int total = groups * 8;
                int mask = (1 << bitWidth) - 1;
                for (int k = 0; k < total; k++) {
                    while (have < bitWidth) {
                        bits |= (long) (buf.get() & 0xFF) << have;
                        have += 8;
                    }
                    int v = (int) (bits & mask);
                    bits >>>= bitWidth;
                    have -= bitWidth;
                    if (i < n) {
                        out[i++] = v;
                    }
                }
            }
        }
        buf.position(end);
        return i == n ? out : null;
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

    /** The one length of every list in a page (repetition levels 0,1,..,1 repeated), or -1. */
    private static int fixedWidth(int[] rep) {
        if (rep.length == 0 || rep[0] != 0) {
            return -1;
        }
        int w = 1;
        while (w < rep.length && rep[w] != 0) {
            w++;
        }
        if (rep.length % w != 0) {
            return -1;
        }
        int pos = 0;
        for (int v : rep) {
            if ((v == 0) != (pos == 0)) {
                return -1;
            }
            if (++pos == w) {
                pos = 0;
            }
        }
        return w;
    }

    private static boolean allEqual(int[] a, int v) {
        for (int x : a) {
            if (x != v) {
                return false;
            }
        }
        return true;
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
