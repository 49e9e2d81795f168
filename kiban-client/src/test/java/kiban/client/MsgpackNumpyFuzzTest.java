package kiban.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kiban.core.error.InvalidInputException;

/**
 * Any bytes as a msgpack-numpy message, decoded from a heap array and from a direct buffer (as the
 * server's network buffers are): both give the same value, or both refuse with an
 * {@link InvalidInputException}; never anything else, and never more objects than the budget.
 */
class MsgpackNumpyFuzzTest {

    private static final int BUDGET = 1_000;

    @FuzzTest(maxDuration = "10m")
    void decodesAnyMessageTheSameFromEitherBuffer(byte[] message) {
        String heap = decode(ByteBuffer.wrap(message));
        ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();
        assertThat(decode(direct)).isEqualTo(heap);
    }

    private static String decode(ByteBuffer message) {
        try {
            return deep(MsgpackNumpy.unpack(message, BUDGET));
        } catch (InvalidInputException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return "refused: " + refused.getMessage();
        }
    }

    /** The whole value in words, down to an array's bytes, so two decodings compare element by element. */
    private static String deep(Object v) {
        return switch (v) {
            case NdArray a -> a.dtype().name() + Arrays.toString(a.shape()) + Arrays.toString(a.data());
            case byte[] b -> Arrays.toString(b);
            case Map<?, ?> m -> m.entrySet().stream().map(e -> deep(e.getKey()) + "=" + deep(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            case List<?> l -> l.stream().map(MsgpackNumpyFuzzTest::deep).collect(Collectors.joining(", ", "[", "]"));
            case null -> "nil";
            default -> v.getClass().getSimpleName() + ":" + v;
        };
    }
}
