package kiban.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kiban.client.DType;
import kiban.client.MsgpackNumpy;
import kiban.client.NdArray;
import kiban.client.Wire;
import kiban.core.error.InvalidInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Throws random and mutated frames at the request decoder the WebSocket handler runs: each must
 * decode or fail with an {@link InvalidInputException}, never anything else (6,000 + 6,000 tries).
 */
class RequestFuzzTest {

    private static final List<byte[]> VALID = List.of(
            MsgpackNumpy.pack(PolicyServerTest.request(PolicyServerTest.history(1))),
            MsgpackNumpy.pack(Map.of(Wire.STATE, NdArray.of(DType.FLOAT32, new double[6], 2, 3), Wire.PROMPT, "push the T")),
            MsgpackNumpy.pack(Map.of(Wire.CONTROL, "episode_start")),
            MsgpackNumpy.pack(nested()));

    private static Map<String, Object> nested() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Wire.STATE, NdArray.float64(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        m.put("observation.images.top", new NdArray(DType.parse("|u1", "t"), new int[] {2, 2, 3}, new byte[12]));
        m.put("extra", Map.of("list", List.of(1L, 2.5, "x", List.of())));
        return m;
    }

    @Property(tries = 6000)
    void randomBytesNeverCrashTheDecoder(@ForAll @Size(max = 256) byte[] frame) {
        check(frame);
    }

    @Property(tries = 6000)
    void mutatedMessagesNeverCrashTheDecoder(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] m = VALID.get(r.nextInt(VALID.size())).clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && m.length > 0; e++) {
            int at = r.nextInt(m.length);
            m = switch (r.nextInt(5)) {
                case 0 -> flip(m, at, 1 << r.nextInt(8));
                case 1 -> set(m, at, (byte) r.nextInt(256));
                case 2 -> java.util.Arrays.copyOf(m, at);
                case 3 -> insert(m, at, (byte) r.nextInt(256));
                default -> set(m, at, (byte) (0xc0 + r.nextInt(0x20))); // msgpack's type bytes: lengths and containers
            };
        }
        check(m);
    }

    private static void check(byte[] frame) {
        try {
            Observations.Decoded d = Observations.decode(java.nio.ByteBuffer.wrap(frame), FakePolicy.METADATA,
                    MsgpackNumpy.DEFAULT_MAX_OBJECTS);
            if (d instanceof Observations.Step one) {
                assertThat(one.observation().state()).hasSize(3);
                assertThat(java.util.Arrays.stream(one.observation().state()).allMatch(Double::isFinite)).isTrue();
            }
            if (d instanceof Observations.Infer i) {
                assertThat(i.history()).hasSize(2);
                for (var o : i.history()) {
                    assertThat(o.state()).hasSize(3);
                    assertThat(java.util.Arrays.stream(o.state()).allMatch(Double::isFinite)).isTrue();
                }
            }
        } catch (InvalidInputException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static byte[] flip(byte[] m, int at, int bit) {
        m[at] ^= (byte) bit;
        return m;
    }

    private static byte[] set(byte[] m, int at, byte b) {
        m[at] = b;
        return m;
    }

    private static byte[] insert(byte[] m, int at, byte b) {
        byte[] out = new byte[m.length + 1];
        System.arraycopy(m, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(m, at, out, at + 1, m.length - at);
        return out;
    }
}
