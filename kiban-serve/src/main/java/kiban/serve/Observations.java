package kiban.serve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kiban.client.DType;
import kiban.client.MsgpackNumpy;
import kiban.client.NdArray;
import kiban.client.Wire;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;

/**
 * Turns a request's {@code observation.state}, and for a policy that reads cameras each camera's
 * frames, into the history a policy wants, checking dtypes, shapes and that every state element is
 * finite; errors name the key, what was expected and what arrived.
 */
final class Observations {

    private static final String SOURCE = "request";

    private Observations() {}

    /** A decoded WebSocket request: a control message to acknowledge, or a history to infer from. */
    sealed interface Decoded permits Control, Infer {}

    record Control(String value) implements Decoded {}

    record Infer(PolicyObservation[] history) implements Decoded {}

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
    static PolicyObservation[] fromMsgpack(Map<String, Object> request, PolicyMetadata m) {
        double[][] states = states(request, m);
        List<byte[][]> cameras = new ArrayList<>();
        for (ImageSpec s : m.images()) {
            cameras.add(frames(request, s, m));
        }
        PolicyObservation[] history = new PolicyObservation[states.length];
        for (int k = 0; k < history.length; k++) {
            Map<String, byte[]> images = new HashMap<>();
            for (int i = 0; i < cameras.size(); i++) {
                images.put(m.images().get(i).name(), cameras.get(i)[k]);
            }
            history[k] = new PolicyObservation(states[k], images);
        }
        return history;
    }

    static String expected(ImageSpec s, PolicyMetadata m) {
        return "a uint8 array of shape " + Wire.imageShape(m, s) + " (RGB frames, oldest first)";
    }

    /** One camera's frame per observation step. */
    private static byte[][] frames(Map<String, Object> request, ImageSpec s, PolicyMetadata m) {
        Object v = request.get(s.name());
        if (!(v instanceof NdArray a)) {
            throw new InvalidInputException(SOURCE, s.name(), expected(s, m), v == null && !request.containsKey(s.name())
                    ? "no such key (keys: " + request.keySet() + ")" : MsgpackNumpy.describe(v));
        }
        if (!a.dtype().equals(DType.UINT8)) {
            throw new InvalidInputException(SOURCE, s.name(), expected(s, m), "dtype " + a.dtype().name());
        }
        if (!Arrays.equals(a.shape(), Wire.imageShape(m, s).stream().mapToInt(Integer::intValue).toArray())) {
            throw new InvalidInputException(SOURCE, s.name(), expected(s, m), "shape " + Arrays.toString(a.shape()));
        }
        byte[][] out = new byte[m.observationSteps()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = Arrays.copyOfRange(a.data(), k * s.bytes(), (k + 1) * s.bytes());
        }
        return out;
    }

    private static double[][] states(Map<String, Object> request, PolicyMetadata m) {
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

    /** From a JSON request's nested lists, already flattened with their shape; JSON carries states only. */
    static PolicyObservation[] fromJson(double[] flat, int[] shape, PolicyMetadata m) {
        if (!m.images().isEmpty()) {
            ImageSpec s = m.images().getFirst();
            throw new InvalidInputException(SOURCE, s.name(), expected(s, m) + ", sent over the WebSocket in msgpack-numpy",
                    "a JSON request (POST /v1/infer carries observation.state only)");
        }
        return PolicyObservation.of(history(flat, shape, m, "json numbers"));
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
