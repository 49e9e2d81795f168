package kiban.serve;

import java.nio.ByteBuffer;
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
 * frames, into what a policy reads, checking dtypes, shapes and that every state element is finite;
 * errors name the key, what was expected and what arrived. A request carries either the whole
 * history (stateless) or, for a policy that reads several observations, only the newest one (as
 * openpi's client sends it), which the connection's {@link ObservationHistory} completes.
 */
final class Observations {

    private static final String SOURCE = "request";

    private Observations() {}

    /** A decoded WebSocket request: a control message, a whole history, or one observation of a longer history. */
    sealed interface Decoded permits Control, Infer, Step {}

    record Control(String value) implements Decoded {}

    /** The whole history, oldest first, as the policy of {@code embodiment} reads it. */
    record Infer(PolicyObservation[] history, String embodiment) implements Decoded {}

    /** The newest observation only, for a policy that reads {@code observationSteps > 1}. */
    record Step(PolicyObservation observation, String embodiment) implements Decoded {}

    /** Decodes one WebSocket frame of at most {@code maxObjects} msgpack values; anything wrong is an {@link InvalidInputException} naming it. */
    static Decoded decode(ByteBuffer frame, PolicyMetadata m, int maxObjects) {
        return decode(frame, Embodiments.single(m), maxObjects);
    }

    /**
     * As {@link #decode(ByteBuffer, PolicyMetadata, int)}, for the policy the request chooses among
     * {@code served} (an {@link Embodiments.UnknownEmbodiment} when it names none).
     */
    static Decoded decode(ByteBuffer frame, Embodiments served, int maxObjects) {
        Map<String, Object> request = MsgpackNumpy.unpackMap(frame, maxObjects);
        if (request.containsKey(Wire.CONTROL)) {
            return new Control(String.valueOf(request.get(Wire.CONTROL)));
        }
        Embodiments.Target t = served.choose(request);
        return fromMsgpack(request, t.metadata(), t.embodiment());
    }

    static String expected(PolicyMetadata m) {
        String whole = "a float32 array (float64 accepted) of shape " + Wire.stateShape(m);
        return m.observationSteps() == 1 ? whole : whole + " (the history, oldest first) or [" + m.observationDim()
                + "] (the newest observation; the server keeps the connection's history)";
    }

    /** From a decoded msgpack request. */
    static Decoded fromMsgpack(Map<String, Object> request, PolicyMetadata m) {
        return fromMsgpack(request, m, ServedPolicies.SINGLE);
    }

    /** From a decoded msgpack request for the policy of {@code embodiment}, whose metadata is {@code m}. */
    static Decoded fromMsgpack(Map<String, Object> request, PolicyMetadata m, String embodiment) {
        State state = state(request, m);
        int steps = state.rows().length;
        List<byte[][]> cameras = new ArrayList<>();
        for (ImageSpec s : m.images()) {
            cameras.add(frames(request, s, m, state.single()));
        }
        String instruction = instruction(request);
        PolicyObservation[] observations = new PolicyObservation[steps];
        for (int k = 0; k < steps; k++) {
            Map<String, byte[]> images = new HashMap<>();
            for (int i = 0; i < cameras.size(); i++) {
                images.put(m.images().get(i).name(), cameras.get(i)[k]);
            }
            observations[k] = new PolicyObservation(state.rows()[k], images, instruction);
        }
        return state.single() ? new Step(observations[0], embodiment) : new Infer(observations, embodiment);
    }

    /** openpi's {@code prompt}: optional, a string of at most {@link PolicyObservation#MAX_INSTRUCTION_CHARS}. */
    private static String instruction(Map<String, Object> request) {
        Object v = request.get(Wire.PROMPT);
        if (v == null) {
            return "";
        }
        String expected = "a string of at most " + PolicyObservation.MAX_INSTRUCTION_CHARS + " characters (the task's instruction)";
        if (!(v instanceof String prompt)) {
            throw new InvalidInputException(SOURCE, Wire.PROMPT, expected, MsgpackNumpy.describe(v));
        }
        if (prompt.length() > PolicyObservation.MAX_INSTRUCTION_CHARS) {
            throw new InvalidInputException(SOURCE, Wire.PROMPT, expected, prompt.length() + " characters");
        }
        return prompt;
    }

    static String expected(ImageSpec s, PolicyMetadata m, boolean single) {
        List<Integer> one = List.of(s.height(), s.width(), s.channels());
        return "a uint8 array of shape " + (single ? one + " (one frame, as observation.state holds one observation)"
                : Wire.imageShape(m, s) + " (RGB frames, oldest first)");
    }

    /** One camera's frame per observation step sent: all of them, or the newest one alone when the state is alone. */
    private static byte[][] frames(Map<String, Object> request, ImageSpec s, PolicyMetadata m, boolean single) {
        Object v = request.get(s.name());
        String expected = expected(s, m, single);
        if (!(v instanceof NdArray a)) {
            throw new InvalidInputException(SOURCE, s.name(), expected, v == null && !request.containsKey(s.name())
                    ? "no such key (keys: " + request.keySet() + ")" : MsgpackNumpy.describe(v));
        }
        if (!a.dtype().equals(DType.UINT8)) {
            throw new InvalidInputException(SOURCE, s.name(), expected, "dtype " + a.dtype().name());
        }
        List<Integer> shape = single ? List.of(s.height(), s.width(), s.channels()) : Wire.imageShape(m, s);
        if (!Arrays.equals(a.shape(), shape.stream().mapToInt(Integer::intValue).toArray())) {
            throw new InvalidInputException(SOURCE, s.name(), expected, "shape " + Arrays.toString(a.shape()));
        }
        byte[][] out = new byte[single ? 1 : m.observationSteps()][];
        if (out.length == 1) {
            out[0] = a.data(); // the shape check made it exactly one frame: no copy on the per-step path
            return out;
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = Arrays.copyOfRange(a.data(), k * s.bytes(), (k + 1) * s.bytes());
        }
        return out;
    }

    private static State state(Map<String, Object> request, PolicyMetadata m) {
        Object v = request.get(Wire.STATE);
        if (!(v instanceof NdArray a)) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected(m), v == null && !request.containsKey(Wire.STATE)
                    ? "no such key (keys: " + request.keySet() + ")" : MsgpackNumpy.describe(v));
        }
        if (!a.dtype().isFloat() || a.dtype().itemSize() < 4) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected(m), "dtype " + a.dtype().name());
        }
        boolean single = m.observationSteps() > 1 && isOne(a.shape(), m.observationDim());
        double[] flat = a.toDoubles();
        return new State(single ? new double[][] {finite(flat, m)} : history(flat, a.shape(), m, a.dtype().name()), single);
    }

    /** The state rows a request carried, and whether it carried the newest observation alone. */
    private record State(double[][] rows, boolean single) {}

    private static boolean isOne(int[] shape, int dim) {
        return Arrays.equals(shape, new int[] {dim}) || Arrays.equals(shape, new int[] {1, dim});
    }

    /**
     * From a JSON request's numbers, already checked against the shape {@code observationSteps x
     * observationDim} (or {@code observationDim} for one step); JSON carries states only and is
     * stateless, so it holds the whole history.
     */
    static PolicyObservation[] fromJson(double[] flat, PolicyMetadata m) {
        if (!m.images().isEmpty()) {
            ImageSpec s = m.images().getFirst();
            throw new InvalidInputException(SOURCE, s.name(), expected(s, m, false) + ", sent over the WebSocket in msgpack-numpy",
                    "a JSON request (POST /v1/infer carries observation.state only)");
        }
        finite(flat, m);
        return PolicyObservation.of(rows(flat, m.observationSteps(), m.observationDim()));
    }

    private static double[][] history(double[] flat, int[] shape, PolicyMetadata m, String what) {
        int steps = m.observationSteps();
        int dim = m.observationDim();
        boolean ok = Arrays.equals(shape, new int[] {steps, dim}) || (steps == 1 && Arrays.equals(shape, new int[] {dim}));
        if (!ok) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected(m), what + " of shape " + List.of(Arrays.stream(shape).boxed()
                    .toArray()));
        }
        return rows(finite(flat, m), steps, dim);
    }

    private static double[] finite(double[] flat, PolicyMetadata m) {
        for (int i = 0; i < flat.length; i++) {
            if (!Double.isFinite(flat[i])) {
                throw new InvalidInputException(SOURCE, Wire.STATE, expected(m) + " with finite elements", flat[i] + " at flat index " + i);
            }
        }
        return flat;
    }

    private static double[][] rows(double[] flat, int steps, int dim) {
        double[][] h = new double[steps][];
        for (int k = 0; k < steps; k++) {
            h[k] = Arrays.copyOfRange(flat, k * dim, (k + 1) * dim);
        }
        return h;
    }
}
