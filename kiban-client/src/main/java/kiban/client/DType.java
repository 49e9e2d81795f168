package kiban.client;

import java.nio.ByteOrder;
import kiban.core.error.InvalidInputException;

/**
 * A numpy dtype as its {@code dtype.str} names it ({@code "<f4"}, {@code "|u1"}): the kind, the
 * size of one element and the byte order. Object, void and complex dtypes are refused, as
 * msgpack_numpy refuses them; strings and dates are refused too, since no policy reads them.
 */
public record DType(char kind, int itemSize, ByteOrder order) {

    public static final DType FLOAT32 = new DType('f', 4, ByteOrder.LITTLE_ENDIAN);
    public static final DType FLOAT64 = new DType('f', 8, ByteOrder.LITTLE_ENDIAN);
    public static final DType UINT8 = new DType('u', 1, ByteOrder.LITTLE_ENDIAN);

    /** Parses numpy's dtype string; the error names {@code field}. */
    public static DType parse(String s, String field) {
        if (s == null || s.length() < 3) {
            throw bad(s, field);
        }
        char o = s.charAt(0);
        char kind = s.charAt(1);
        int size;
        try {
            size = Integer.parseInt(s.substring(2));
        } catch (NumberFormatException e) {
            throw bad(s, field);
        }
        if (o != '<' && o != '>' && o != '|' && o != '=') {
            throw bad(s, field);
        }
        boolean ok = switch (kind) {
            case 'f' -> size == 2 || size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!ok) {
            throw bad(s, field);
        }
        return new DType(kind, size, o == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private static InvalidInputException bad(String s, String field) {
        return new InvalidInputException("msgpack-numpy", field,
                "a numeric numpy dtype (bool, int, uint or float; object, void and complex are refused)", "'" + s + "'");
    }

    /** numpy's {@code dtype.str}. */
    public String str() {
        char o = itemSize == 1 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
        return "" + o + kind + itemSize;
    }

    /** numpy's name for it: {@code float32}, {@code uint8}, {@code bool}. */
    public String name() {
        return switch (kind) {
            case 'f' -> "float" + itemSize * 8;
            case 'i' -> "int" + itemSize * 8;
            case 'u' -> "uint" + itemSize * 8;
            default -> "bool";
        };
    }

    public boolean isFloat() {
        return kind == 'f';
    }
}
