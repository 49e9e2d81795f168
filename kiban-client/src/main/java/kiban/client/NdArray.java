package kiban.client;

import java.nio.ByteBuffer;
import java.util.Arrays;
import kiban.core.error.InvalidInputException;

/**
 * A numpy array as msgpack-numpy carries it: dtype, shape and the raw bytes in C order. The
 * constructor checks that the bytes fill the shape exactly.
 */
public final class NdArray {

    private final DType dtype;
    private final int[] shape;
    private final byte[] data;

    public NdArray(DType dtype, int[] shape, byte[] data) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new InvalidInputException("msgpack-numpy", "shape", "non-negative dimensions", Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new InvalidInputException("msgpack-numpy", "shape", "fewer than 2^31 elements", Arrays.toString(shape));
            }
        }
        if (n * dtype.itemSize() != data.length) {
            throw new InvalidInputException("msgpack-numpy", "data", n * dtype.itemSize() + " bytes for shape "
                    + Arrays.toString(shape) + " of " + dtype.str(), data.length + " bytes");
        }
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /** A float64 array of {@code rows x cols}. */
    public static NdArray float64(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        ByteBuffer b = ByteBuffer.allocate(rows.length * cols * 8).order(DType.FLOAT64.order());
        for (double[] r : rows) {
            if (r.length != cols) {
                throw new IllegalArgumentException("ragged rows: " + r.length + " != " + cols);
            }
            for (double v : r) {
                b.putDouble(v);
            }
        }
        return new NdArray(DType.FLOAT64, new int[] {rows.length, cols}, b.array());
    }

    /** A one-dimensional array of {@code values} in {@code dtype} (a float dtype). */
    public static NdArray of(DType dtype, double[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * dtype.itemSize()).order(dtype.order());
        for (double v : values) {
            if (dtype.itemSize() == 4) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        return new NdArray(dtype, shape, b.array());
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    /** The raw bytes, C order; not copied. */
    public byte[] data() {
        return data;
    }

    public int size() {
        return data.length / dtype.itemSize();
    }

    /** Every element as a double, C order. */
    public double[] toDoubles() {
        ByteBuffer b = ByteBuffer.wrap(data).order(dtype.order());
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype.kind()) {
                case 'f' -> switch (dtype.itemSize()) {
                    case 2 -> Float.float16ToFloat(b.getShort());
                    case 4 -> b.getFloat();
                    default -> b.getDouble();
                };
                case 'b' -> b.get() != 0 ? 1 : 0;
                case 'u' -> switch (dtype.itemSize()) {
                    case 1 -> Byte.toUnsignedInt(b.get());
                    case 2 -> Short.toUnsignedInt(b.getShort());
                    case 4 -> Integer.toUnsignedLong(b.getInt());
                    default -> unsignedLong(b.getLong());
                };
                default -> switch (dtype.itemSize()) {
                    case 1 -> b.get();
                    case 2 -> b.getShort();
                    case 4 -> b.getInt();
                    default -> b.getLong();
                };
            };
        }
        return out;
    }

    private static double unsignedLong(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2 + (v & 1);
    }

    /** A two-dimensional array as rows of doubles. */
    public double[][] toRows() {
        if (shape.length != 2) {
            throw new IllegalStateException("not two-dimensional: " + Arrays.toString(shape));
        }
        double[] flat = toDoubles();
        double[][] rows = new double[shape[0]][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * shape[1], (r + 1) * shape[1]);
        }
        return rows;
    }

    @Override
    public String toString() {
        return dtype.name() + Arrays.toString(shape);
    }
}
