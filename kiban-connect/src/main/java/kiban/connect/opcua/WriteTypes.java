package kiban.connect.opcua;

import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned;

/**
 * Converts a command element to the Java type of the node's current value, so a write matches the
 * node's data type: OPC UA servers refuse a Double written to an Int16 or Boolean variable.
 * Integers are rounded and saturated to the type's range; a Boolean is true from 0.5.
 */
final class WriteTypes {

    private WriteTypes() {}

    static Object convert(double v, Class<?> type) {
        if (type == Float.class) {
            return (float) v;
        }
        if (type == Integer.class) {
            return (int) clamp(Math.round(v), Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (type == Short.class) {
            return (short) clamp(Math.round(v), Short.MIN_VALUE, Short.MAX_VALUE);
        }
        if (type == Byte.class) {
            return (byte) clamp(Math.round(v), Byte.MIN_VALUE, Byte.MAX_VALUE);
        }
        if (type == Long.class) {
            return Math.round(v);
        }
        if (type == Boolean.class) {
            return v >= 0.5;
        }
        if (type == UByte.class) {
            return Unsigned.ubyte(clamp(Math.round(v), 0, 255));
        }
        if (type == UShort.class) {
            return Unsigned.ushort((int) clamp(Math.round(v), 0, 65535));
        }
        if (type == UInteger.class) {
            return Unsigned.uint(clamp(Math.round(v), 0, 0xFFFF_FFFFL));
        }
        if (type == ULong.class) {
            return Unsigned.ulong(Math.max(0, Math.round(v)));
        }
        return v;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
