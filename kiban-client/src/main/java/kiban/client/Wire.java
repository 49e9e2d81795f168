package kiban.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;

/**
 * Kiban's convention on top of openpi's protocol: the key names of requests and replies, and the
 * shape the state takes on the wire.
 *
 * <p>Requests carry {@code observation.state}: the policy's whole observation history,
 * {@code observationSteps x observationDim}, oldest first, float32 (float64 accepted); a policy that
 * reads one observation takes {@code observationDim} alone (the 2-D form {@code 1 x observationDim}
 * is accepted too). The server keeps no history, so any client and any batch are interchangeable.
 * A policy that reads cameras also takes, under each camera's feature name
 * ({@code observation.images.<camera>}), its frame history as uint8 {@code observationSteps x height
 * x width x channels} (RGB as recorded, oldest first; {@code height x width x channels} alone for
 * one observation). Replies carry {@code actions}, float64 {@code horizon x actionDim}, so that a
 * remote policy returns the very doubles a local one would.
 */
public final class Wire {

    /** Version of Kiban's metadata and request layout, sent in the metadata as {@code kiban_protocol}. */
    public static final int PROTOCOL_VERSION = 1;

    public static final String STATE = "observation.state";
    public static final String PROMPT = "prompt";
    public static final String ACTIONS = "actions";
    public static final String SERVER_TIMING = "server_timing";
    public static final String CONTROL = "__ctrl__";
    public static final String ACK = "__ack__";

    private Wire() {}

    /** Whether every address {@code host} resolves to is a loopback one: this machine alone can reach it. */
    public static boolean resolvesToLoopback(String host) throws UnknownHostException {
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (!a.isLoopbackAddress()) {
                return false;
            }
        }
        return true;
    }

    /** The request for {@code history} (oldest first, {@code m.observationSteps()} of them) as this class describes it. */
    public static Map<String, Object> request(PolicyMetadata m, PolicyObservation[] history) {
        Map<String, Object> request = new LinkedHashMap<>();
        NdArray state = NdArray.float64(PolicyObservation.states(history));
        if (m.observationSteps() == 1) {
            state = new NdArray(DType.FLOAT64, new int[] {m.observationDim()}, state.data());
        }
        request.put(STATE, state);
        for (ImageSpec s : m.images()) {
            byte[] frames = new byte[history.length * s.bytes()];
            for (int k = 0; k < history.length; k++) {
                System.arraycopy(history[k].image(s), 0, frames, k * s.bytes(), s.bytes());
            }
            request.put(s.name(), new NdArray(DType.UINT8, imageShape(m, s).stream().mapToInt(Integer::intValue).toArray(), frames));
        }
        String instruction = history.length == 0 ? "" : history[history.length - 1].instruction();
        if (!instruction.isEmpty()) {
            request.put(PROMPT, instruction); // as openpi's clients send it
        }
        return request;
    }

    /** The shape the frames of camera {@code s} take for {@code m}. */
    public static List<Integer> imageShape(PolicyMetadata m, ImageSpec s) {
        return m.observationSteps() == 1 ? List.of(s.height(), s.width(), s.channels())
                : List.of(m.observationSteps(), s.height(), s.width(), s.channels());
    }

    /** The shape {@code observation.state} takes for {@code m}. */
    public static List<Integer> stateShape(PolicyMetadata m) {
        return m.observationSteps() == 1 ? List.of(m.observationDim()) : List.of(m.observationSteps(), m.observationDim());
    }
}
