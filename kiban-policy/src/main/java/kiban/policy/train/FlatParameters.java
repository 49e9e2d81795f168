package kiban.policy.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A block's float parameters laid end to end in one native buffer, each parameter's array a view
 * of its slice, so that AdamW, the EMA and the clipping norm are a handful of native ops over all
 * weights rather than loops of small ops a parameter (what PyTorch's {@code _foreach} and fused
 * optimisers do). Each slice starts on a 64-byte boundary; the padding between slices stays zero.
 *
 * <p>The views alias a direct buffer, which the PyTorch engine wraps without copying; the
 * constructor checks that the engine does.
 */
final class FlatParameters {

    private static final int ALIGN = 16;

    private final List<String> names = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Shape> shapes = new ArrayList<>();
    private final long[] offsets;
    private final long size;
    private final NDManager manager;
    private final NDArray weights;
    private final NDArray zero;
    private NDList gradientParts;
    private final List<NDArray> gradients = new ArrayList<>();

    /** Moves the parameters' current values into one buffer and makes each parameter a view of it. */
    FlatParameters(PairList<String, Parameter> params, NDManager manager) {
        this.manager = manager;
        offsets = new long[params.size()];
        long at = 0;
        int i = 0;
        for (Pair<String, Parameter> p : params) {
            NDArray a = p.getValue().getArray();
            if (a.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("parameter " + p.getKey() + " is " + a.getDataType()
                        + ", expected float32");
            }
            names.add(p.getKey());
            parameters.add(p.getValue());
            shapes.add(a.getShape());
            offsets[i++] = at;
            at += padded(a.size());
        }
        size = at;
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(size * 4 + 64)).alignedSlice(64)
                .order(ByteOrder.nativeOrder());
        checkAliasing(manager);
        for (i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            NDArray old = p.getArray();
            ByteBuffer slice = slice(buffer, i);
            slice.put(old.toByteBuffer()).flip();
            NDArray view = manager.create(slice, shapes.get(i), DataType.FLOAT32);
            // A Parameter takes a new array only once its old one is gone and its shape unset.
            p.close();
            p.setShape(null);
            p.setArray(view);
        }
        weights = manager.create(buffer.duplicate().order(ByteOrder.nativeOrder()).limit(Math.toIntExact(size * 4)),
                new Shape(size), DataType.FLOAT32);
        zero = manager.create(0f);
    }

    private static long padded(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private ByteBuffer slice(ByteBuffer buffer, int i) {
        return buffer.slice(Math.toIntExact(offsets[i] * 4), Math.toIntExact(shapes.get(i).size() * 4))
                .order(ByteOrder.nativeOrder());
    }

    /** Views of a buffer only work where the engine wraps direct memory rather than copying it. */
    private static void checkAliasing(NDManager manager) {
        ByteBuffer probe = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        try (NDArray a = manager.create(probe, new Shape(1), DataType.FLOAT32)) {
            probe.putFloat(0, 42f);
            if (a.getFloat() != 42f) {
                throw new IllegalStateException("engine " + manager.getEngine().getEngineName()
                        + " copies direct buffers; flat parameters need one that wraps them (PyTorch)");
            }
        }
    }

    /** The number of elements of the flat buffer, padding included. */
    long size() {
        return size;
    }

    /** All weights as one 1-D array; in-place changes to it are changes to the parameters. */
    NDArray weights() {
        return weights;
    }

    /**
     * The gradients of all parameters as one 1-D array laid out as {@link #weights}, a copy
     * attached to {@code scratch}. The gradient arrays are PyTorch's {@code .grad}, which backward
     * fills in place once they exist because {@link #zeroGradients} zeroes rather than drops them;
     * so the views of them taken after the first backward stay valid.
     */
    NDArray gatherGradients(NDManager scratch) {
        if (gradientParts == null) {
            gradientParts = new NDList();
            long at = 0;
            for (int i = 0; i < parameters.size(); i++) {
                if (offsets[i] > at) {
                    gradientParts.add(manager.zeros(new Shape(offsets[i] - at)));
                }
                NDArray g = parameters.get(i).getArray().getGradient();
                NDArray flat = g.reshape(-1);
                gradients.add(g);
                gradientParts.add(flat);
                at = offsets[i] + shapes.get(i).size();
            }
            if (size > at) {
                gradientParts.add(manager.zeros(new Shape(size - at)));
            }
        }
        NDArray out = NDArrays.concat(gradientParts);
        out.attach(scratch);
        return out;
    }

    /** Zeroes the gradients in place, as PyTorch's {@code zero_grad(set_to_none=False)}. */
    void zeroGradients() {
        for (NDArray g : gradients) {
            g.muli(zero);
        }
    }

    /** Views of each parameter's slice of a flat array laid out as {@link #weights}, named {@code prefix + name}. */
    NDList split(NDArray flat, String prefix) {
        NDList out = new NDList();
        for (int i = 0; i < names.size(); i++) {
            NDArray part = flat.get(offsets[i] + ":" + (offsets[i] + shapes.get(i).size())).reshape(shapes.get(i));
            part.setName(prefix + names.get(i));
            out.add(part);
        }
        return out;
    }

    /** A new flat array in {@code target} laid out as {@link #weights}, holding each parameter's array in {@code byName}. */
    NDArray assemble(Map<String, NDArray> byName, NDManager target, String what) {
        float[] data = new float[Math.toIntExact(size)];
        for (int i = 0; i < names.size(); i++) {
            NDArray a = byName.get(names.get(i));
            if (a == null || !a.getShape().equals(shapes.get(i))) {
                throw new IllegalArgumentException(what + " has " + (a == null ? "no " + names.get(i)
                        : names.get(i) + " of shape " + a.getShape()) + ", expected shape " + shapes.get(i));
            }
            float[] values = a.toFloatArray();
            System.arraycopy(values, 0, data, Math.toIntExact(offsets[i]), values.length);
        }
        return target.create(data);
    }
}
