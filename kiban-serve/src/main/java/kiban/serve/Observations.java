package kiban.serve;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import kiban.client.MsgpackNumpy;
import kiban.client.NdArray;
import kiban.client.Wire;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.PolicyMetadata;

/**
 * Turns a request's {@code observation.state} into the history a policy wants, checking the
 * dtype, the shape and that every element is finite; errors name the key, what was expected and
 * what arrived.
 */
final class Observations {

    private static final String SOURCE = "request";

    private Observations() {}

    /** A decoded WebSocket request: a control message to acknowledge, or a history to infer from. */
    sealed interface Decoded permits Control, Infer {}

    record Control(String value) implements Decoded {}

    record Infer(double[][] history) implements Decoded {}

    /** Decodes one WebSocket frame; anything wrong is an {@link InvalidInputException} naming it. */
    static Decoded decode(byte[] frame, PolicyMetadata m) {
        Map<String, Object> request = MsgpackNumpy.unpackMap(frame);
        if (request.containsKey(Wire.CONTROL)) {
            return new Control(String.valueOf(request.get(Wire.CONTROL)));
        }
        return new Infer(fromMsgpack(request, m));
    }

    static String expected(PolicyMetadata m) {
        return "a float32 array (float64 accepted) of shape " + Wire.stateShape(m);
    }

    /** From a decoded msgpack request. */
    static double[][] fromMsgpack(Map<String, Object> request, PolicyMetadata m) {
        Object v = request.get(Wire.STATE);
        if (!(v instanceof NdArray a)) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected(m), v == null && !request.containsKey(Wire.STATE)
                    ? "no such key (keys: " + request.keySet() + ")" : MsgpackNumpy.describe(v));
        }
        if (!a.dtype().isFloat() || a.dtype().itemSize() < 4) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected(m), "dtype " + a.dtype().name());
        }
        return history(a.toDoubles(), a.shape(), m, a.dtype().name());
    }

    /** From a JSON request's nested lists, already flattened with their shape. */
    static double[][] fromJson(double[] flat, int[] shape, PolicyMetadata m) {
        return history(flat, shape, m, "json numbers");
    }

    private static double[][] history(double[] flat, int[] shape, PolicyMetadata m, String what) {
        int steps = m.observationSteps();
        int dim = m.observationDim();
        boolean ok = Arrays.equals(shape, new int[] {steps, dim}) || (steps == 1 && Arrays.equals(shape, new int[] {dim}));
        if (!ok) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected(m), what + " of shape " + List.of(Arrays.stream(shape).boxed()
                    .toArray()));
        }
        for (int i = 0; i < flat.length; i++) {
            if (!Double.isFinite(flat[i])) {
                throw new InvalidInputException(SOURCE, Wire.STATE, expected(m) + " with finite elements",
                        flat[i] + " at flat index " + i);
            }
        }
        double[][] h = new double[steps][];
        for (int k = 0; k < steps; k++) {
            h[k] = Arrays.copyOfRange(flat, k * dim, (k + 1) * dim);
        }
        return h;
    }
}
