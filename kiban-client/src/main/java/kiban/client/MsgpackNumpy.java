package kiban.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * msgpack with numpy arrays, as openpi's {@code msgpack_numpy} writes them: an array is a map with
 * the byte-string keys {@code __ndarray__}, {@code data}, {@code dtype} and {@code shape}; a numpy
 * scalar is {@code __npgeneric__}, {@code data}, {@code dtype}.
 *
 * <p>Decoded values are {@code null}, {@link Boolean}, {@link Long}, {@link Double}, {@link String},
 * {@code byte[]}, {@link List}, {@code Map<String, Object>} (byte-string keys read as UTF-8 text)
 * and {@link NdArray}; a numpy scalar decodes to its plain value. Decoding is hardened for input
 * from the network: nesting depth, declared lengths and the number of values are bounded, so a
 * hostile message cannot exhaust the stack or the heap.
 */
public final class MsgpackNumpy {

    /** Deeper nesting than any observation needs; bounds the decoder's recursion. */
    public static final int MAX_DEPTH = 32;

    /** Values one message may decode to unless the caller says otherwise; the server's default too. */
    public static final int DEFAULT_MAX_OBJECTS = 10_000;

    private static final String SOURCE = "msgpack";
    /*
     * msgpack's buffers are 8 KiB by default, for the packer and for reading a stream. A request or a
     * reply of actions is a few hundred bytes, and a server that allocates 16 KiB a request collects
     * garbage every second: a stream is read in buffers no bigger than the message, and packing
     * starts with 1 KiB (it grows as needed).
     */
    private static final int STREAM_BUFFER = 8192;
    private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(1024);

    private MsgpackNumpy() {}

    /** Packs maps (string keys), lists, strings, numbers, booleans, null, {@code byte[]} and {@link NdArray}. */
    public static byte[] pack(Object value) {
        try (MessageBufferPacker p = PACKER.newBufferPacker()) {
            write(p, value);
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("msgpack packing into memory failed", e);
        }
    }

    private static void write(MessageBufferPacker p, Object v) throws IOException {
        switch (v) {
            case null -> p.packNil();
            case Boolean b -> p.packBoolean(b);
            case Byte b -> p.packLong(b);
            case Short s -> p.packLong(s);
            case Integer i -> p.packLong(i);
            case Long l -> p.packLong(l);
            case Float f -> p.packFloat(f);
            case Double d -> p.packDouble(d);
            case String s -> p.packString(s);
            case byte[] b -> p.packBinaryHeader(b.length).writePayload(b);
            case NdArray a -> writeArray(p, a);
            case Map<?, ?> m -> {
                p.packMapHeader(m.size());
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    p.packString(String.valueOf(e.getKey()));
                    write(p, e.getValue());
                }
            }
            case List<?> l -> {
                p.packArrayHeader(l.size());
                for (Object o : l) {
                    write(p, o);
                }
            }
            case int[] ints -> {
                p.packArrayHeader(ints.length);
                for (int i : ints) {
                    p.packLong(i);
                }
            }
            default -> throw new IllegalArgumentException("cannot pack a " + v.getClass().getName());
        }
    }

    private static void writeArray(MessageBufferPacker p, NdArray a) throws IOException {
        p.packMapHeader(4);
        binKey(p, "__ndarray__").packBoolean(true);
        binKey(p, "data").packBinaryHeader(a.data().length).writePayload(a.data());
        binKey(p, "dtype").packString(a.dtype().str());
        binKey(p, "shape");
        int[] shape = a.shape();
        p.packArrayHeader(shape.length);
        for (int d : shape) {
            p.packLong(d);
        }
    }

    private static MessageBufferPacker binKey(MessageBufferPacker p, String key) throws IOException {
        byte[] b = key.getBytes(StandardCharsets.US_ASCII);
        p.packBinaryHeader(b.length).writePayload(b);
        return p;
    }

    /** Decodes one whole message within {@link #DEFAULT_MAX_OBJECTS}; anything malformed or trailing is an {@link InvalidInputException}. */
    public static Object unpack(byte[] message) {
        return unpack(ByteBuffer.wrap(message), DEFAULT_MAX_OBJECTS);
    }

    /**
     * Decodes one whole message of at most {@code maxObjects} values (every nil, number, string,
     * byte string, list, map and array counts one): a message of one-byte elements would otherwise
     * cost some 50 bytes of heap per byte received.
     */
    public static Object unpack(ByteBuffer message, int maxObjects) {
        int total = message.remaining();
        // msgpack reads a direct buffer (as a server's network buffers are) only through JDK internals: stream it instead of copying it.
        try (MessageUnpacker u = message.hasArray() ? MessagePack.newDefaultUnpacker(message.array(), message.arrayOffset()
                + message.position(), total) : new MessagePack.UnpackerConfig().withBufferSize(Math.clamp(total, 1, STREAM_BUFFER))
                        .newUnpacker(new BufferStream(message.duplicate()))) {
            Object v = new Reader(u, total, maxObjects).read(0);
            if (u.hasNext()) {
                throw new InvalidInputException(SOURCE, "", "one msgpack value", "trailing bytes after byte " + u.getTotalReadBytes());
            }
            return v;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException bad) {
                throw bad;
            }
            // The decoder's own words, without its class name: the text goes back to the client.
            throw new InvalidInputException(SOURCE, "", "a well-formed msgpack message", e.getMessage() == null
                    ? "a malformed message" : "a malformed message (" + e.getMessage() + ")");
        }
    }

    /** Decodes a message that must be a map, as every request and reply is, within {@link #DEFAULT_MAX_OBJECTS}. */
    public static Map<String, Object> unpackMap(byte[] message) {
        return unpackMap(ByteBuffer.wrap(message), DEFAULT_MAX_OBJECTS);
    }

    /** Decodes a message that must be a map of at most {@code maxObjects} values. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> unpackMap(ByteBuffer message, int maxObjects) {
        Object v = unpack(message, maxObjects);
        if (!(v instanceof Map)) {
            throw new InvalidInputException(SOURCE, "", "a msgpack map", describe(v));
        }
        return (Map<String, Object>) v;
    }

    /** A buffer read as a stream, in the unpacker's chunks. */
    private static final class BufferStream extends java.io.InputStream {
        private final ByteBuffer b;

        BufferStream(ByteBuffer b) {
            this.b = b;
        }

        @Override
        public int read() {
            return b.hasRemaining() ? b.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int off, int len) {
            if (!b.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, b.remaining());
            b.get(into, off, n);
            return n;
        }
    }

    /** One message's decoding: the unpacker, the message's size and the values still allowed. */
    private static final class Reader {
        private final MessageUnpacker u;
        private final int total;
        private final int maxObjects;
        private int objects;

        Reader(MessageUnpacker u, int total, int maxObjects) {
            this.u = u;
            this.total = total;
            this.maxObjects = maxObjects;
        }

        Object read(int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw new InvalidInputException(SOURCE, "", "nesting at most " + MAX_DEPTH + " deep", "deeper");
            }
            if (++objects > maxObjects) {
                throw new InvalidInputException(SOURCE, "", "at most " + maxObjects + " values in one message (send numbers as "
                        + "numpy arrays, which count one)", "more");
            }
            MessageFormat f = u.getNextFormat();
            return switch (f.getValueType()) {
                case NIL -> {
                    u.unpackNil();
                    yield null;
                }
                case BOOLEAN -> u.unpackBoolean();
                case INTEGER -> {
                    if (f != MessageFormat.UINT64) {
                        yield u.unpackLong();
                    }
                    java.math.BigInteger big = u.unpackBigInteger();
                    // Above Long.MAX_VALUE only as a double; no observation needs such integers exactly.
                    yield big.bitLength() < 64 ? (Object) big.longValue() : big.doubleValue();
                }
                case FLOAT -> u.unpackDouble();
                case STRING -> {
                    int n = u.unpackRawStringHeader();
                    yield new String(payload(n), StandardCharsets.UTF_8);
                }
                case BINARY -> payload(u.unpackBinaryHeader());
                case ARRAY -> {
                    int n = u.unpackArrayHeader();
                    fits(n);
                    List<Object> list = new ArrayList<>(Math.min(n, maxObjects));
                    for (int i = 0; i < n; i++) {
                        list.add(read(depth + 1));
                    }
                    yield list;
                }
                case MAP -> readMap(depth);
                case EXTENSION -> throw new InvalidInputException(SOURCE, "", "no msgpack extension types", "extension type "
                        + u.unpackExtensionTypeHeader().getType());
            };
        }

        private Object readMap(int depth) throws IOException {
            int n = u.unpackMapHeader();
            fits(2L * n);
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                Object k = read(depth + 1);
                String key = switch (k) {
                    case String s -> s;
                    case byte[] b -> new String(b, StandardCharsets.UTF_8);
                    case null, default -> throw new InvalidInputException(SOURCE, "", "string or byte-string map keys", describe(k));
                };
                map.put(key, read(depth + 1));
            }
            if (Boolean.TRUE.equals(map.get("__ndarray__"))) {
                return toArray(map);
            }
            if (Boolean.TRUE.equals(map.get("__npgeneric__"))) {
                DType.parse(text(map.get("dtype"), "dtype"), "dtype");
                return map.get("data");
            }
            return map;
        }

        private byte[] payload(int n) throws IOException {
            fits(n);
            return u.readPayload(n);
        }

        /** A declared length must fit in what is left of the message (each element takes a byte at least). */
        private void fits(long n) {
            if (n < 0 || n > total - u.getTotalReadBytes()) {
                throw new InvalidInputException(SOURCE, "", "lengths within the message's " + total + " bytes", "a declared length of " + n);
            }
        }
    }

    private static NdArray toArray(Map<String, Object> m) {
        DType dtype = DType.parse(text(m.get("dtype"), "dtype"), "dtype");
        if (!(m.get("data") instanceof byte[] data)) {
            throw new InvalidInputException(SOURCE, "data", "the array's bytes", describe(m.get("data")));
        }
        if (!(m.get("shape") instanceof List<?> dims)) {
            throw new InvalidInputException(SOURCE, "shape", "a list of ints", describe(m.get("shape")));
        }
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                // describe the element, not the list: a nested byte string would print as a JVM object id
                throw new InvalidInputException(SOURCE, "shape[" + i + "]", "a non-negative int",
                        dims.get(i) instanceof Long d ? String.valueOf(d) : describe(dims.get(i)));
            }
            shape[i] = (int) (long) d;
        }
        return new NdArray(dtype, shape, data);
    }

    private static String text(Object v, String field) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        throw new InvalidInputException(SOURCE, field, "a dtype string such as '<f4'", describe(v));
    }

    /** A short description of a decoded value for error messages: its type, and an array's dtype and shape. */
    public static String describe(Object v) {
        return switch (v) {
            case null -> "nil";
            case NdArray a -> "an array of " + a.dtype().name() + " shape " + java.util.Arrays.toString(a.shape());
            case String s -> "a string";
            case byte[] b -> "bytes";
            case Map<?, ?> m -> "a map";
            case List<?> l -> "a list of " + l.size();
            case Boolean b -> "a bool";
            default -> "a number";
        };
    }
}
