package kiban.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class MsgpackNumpyTest {

    /** What numpy's msgpack_numpy writes for np.array([[1.5, -2.0]], dtype=np.float32), keys as byte strings. */
    private static byte[] numpyFloat32() throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(1).packString("observation.state");
            p.packMapHeader(4);
            bin(p, "__ndarray__").packBoolean(true);
            byte[] data = HexFormat.of().parseHex("0000c03f000000c0");
            bin(p, "data").packBinaryHeader(data.length).writePayload(data);
            bin(p, "dtype").packString("<f4");
            bin(p, "shape").packArrayHeader(2).packInt(1).packInt(2);
            return p.toByteArray();
        }
    }

    private static MessageBufferPacker bin(MessageBufferPacker p, String key) throws IOException {
        byte[] b = key.getBytes(StandardCharsets.US_ASCII);
        p.packBinaryHeader(b.length).writePayload(b);
        return p;
    }

    @Test
    void readsWhatNumpyWrites() throws IOException {
        Map<String, Object> m = MsgpackNumpy.unpackMap(numpyFloat32());
        NdArray a = (NdArray) m.get("observation.state");
        assertThat(a.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(a.shape()).containsExactly(1, 2);
        assertThat(a.toDoubles()).containsExactly(1.5, -2.0);
    }

    @Test
    void writesArraysWithByteStringKeysAsNumpyReadsThem() throws IOException {
        byte[] packed = MsgpackNumpy.pack(Map.of("observation.state", NdArray.of(DType.FLOAT32, new double[] {1.5, -2.0}, 1, 2)));
        assertThat(packed).isEqualTo(numpyFloat32());
        // 0xc4 0x0b: a bin 8 of 11 bytes, "__ndarray__", not a str.
        assertThat(HexFormat.of().formatHex(packed)).contains("c40b" + HexFormat.of().formatHex("__ndarray__".getBytes()));
    }

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("actions", NdArray.float64(new double[][] {{1, 2}, {3, 4}, {5, 6}}));
        m.put("timing", Map.of("infer_ms", 1.25));
        m.put("list", List.of(1L, "two", true));
        m.put("nil", null);
        m.put("bytes", new byte[] {1, 2});
        Map<String, Object> back = MsgpackNumpy.unpackMap(MsgpackNumpy.pack(m));
        assertThat(((NdArray) back.get("actions")).toRows()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThat(back.get("timing")).isEqualTo(Map.of("infer_ms", 1.25));
        assertThat(back.get("list")).isEqualTo(List.of(1L, "two", true));
        assertThat(back).containsEntry("nil", null);
        assertThat((byte[]) back.get("bytes")).containsExactly(1, 2);
    }

    @Test
    void decodesNumpyScalarsAndOtherDtypes() throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(2).packString("scalar").packMapHeader(3);
            bin(p, "__npgeneric__").packBoolean(true);
            bin(p, "data").packDouble(0.25);
            bin(p, "dtype").packString("<f8");
            p.packString("image").packMapHeader(4);
            bin(p, "__ndarray__").packBoolean(true);
            bin(p, "data").packBinaryHeader(3).writePayload(new byte[] {0, (byte) 200, (byte) 255});
            bin(p, "dtype").packString("|u1");
            bin(p, "shape").packArrayHeader(1).packInt(3);
            Map<String, Object> m = MsgpackNumpy.unpackMap(p.toByteArray());
            assertThat(m.get("scalar")).isEqualTo(0.25);
            assertThat(((NdArray) m.get("image")).toDoubles()).containsExactly(0, 200, 255);
        }
    }

    @Test
    void refusesObjectVoidAndComplexDtypes() {
        for (String dtype : List.of("|O", "|V8", "<c8", "<c16", "<U3", "xyz")) {
            assertThatThrownBy(() -> DType.parse(dtype, "dtype")).as(dtype).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("object, void and complex are refused");
        }
    }

    @Test
    void refusesBytesThatDoNotFillTheShapeAndHostileLengths() {
        assertThatThrownBy(() -> new NdArray(DType.FLOAT32, new int[] {2, 2}, new byte[12]))
                .hasMessageContaining("16 bytes for shape [2, 2]");
        // An array header claiming 2^31-1 elements in a 5-byte message.
        assertThatThrownBy(() -> MsgpackNumpy.unpack(HexFormat.of().parseHex("dd7fffffff")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("declared length");
        // Deep nesting: 100 nested one-element arrays.
        byte[] deep = new byte[101];
        java.util.Arrays.fill(deep, 0, 100, (byte) 0x91);
        deep[100] = (byte) 0xc0;
        assertThatThrownBy(() -> MsgpackNumpy.unpack(deep)).hasMessageContaining("nesting");
        assertThatThrownBy(() -> MsgpackNumpy.unpack(new byte[] {(byte) 0xc1})).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> MsgpackNumpy.unpack(new byte[] {1, 2})).hasMessageContaining("trailing");
    }

    @Test
    void boundsTheValuesOneMessageDecodesTo() throws IOException {
        // 1 MiB of one-byte nils in one list: a million objects if decoded.
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(1 << 20);
            for (int i = 0; i < 1 << 20; i++) {
                p.packNil();
            }
            byte[] message = p.toByteArray();
            assertThatThrownBy(() -> MsgpackNumpy.unpack(message)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("at most " + MsgpackNumpy.DEFAULT_MAX_OBJECTS + " values");
            assertThatThrownBy(() -> MsgpackNumpy.unpack(java.nio.ByteBuffer.wrap(message), 100)).hasMessageContaining("at most 100 values");
        }
        // An array counts one, whatever its size.
        byte[] big = MsgpackNumpy.pack(java.util.Map.of("a", NdArray.of(DType.FLOAT32, new double[100_000], 100_000)));
        assertThat(MsgpackNumpy.unpackMap(java.nio.ByteBuffer.wrap(big), 16)).containsKey("a");
    }
}
