package kiban.client;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionException;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;
import kiban.core.policy.UnbatchedPolicy;

/**
 * A {@link Policy} served by a Kiban policy server: the metadata comes from the server's metadata
 * frame, and each history ({@link #inferOne}) is one request. The history goes out as {@code observation.state}
 * in the layout {@link Wire} describes, in float64 so that the remote policy sees the very values a
 * local one would, with each camera's frames for a policy that reads cameras. From a server of
 * several embodiments ({@code kiban serve --embodiment all}) it serves the one chosen on connect,
 * naming it in every request.
 */
public final class RemotePolicy implements UnbatchedPolicy {

    private final PolicyClient client;
    /** The request key that names the embodiment on a server of several. */
    static final String EMBODIMENT = "embodiment";

    private final PolicyMetadata metadata;
    /** The embodiment every request names; null for a server of one policy. */
    private final String embodiment;

    private RemotePolicy(PolicyClient client, PolicyMetadata metadata, String embodiment) {
        this.client = client;
        this.metadata = metadata;
        this.embodiment = embodiment;
    }

    /** Connects (retrying until the server is up) and reads the policy's metadata. */
    public static RemotePolicy connect(URI uri, ClientOptions options) {
        return connect(uri, options, null);
    }

    /**
     * As {@link #connect(URI, ClientOptions)}; on a server of several embodiments, serves the one
     * {@code embodiment} names (its name or its simulator's), or the only one when null. A server of
     * one policy serves that, whatever {@code embodiment} says.
     */
    public static RemotePolicy connect(URI uri, ClientOptions options, String embodiment) {
        PolicyClient c = PolicyClient.connect(uri, options);
        try {
            Map<String, Object> meta = c.metadata();
            if (!(meta.get("embodiments") instanceof Map<?, ?> several)) {
                return new RemotePolicy(c, MetadataMaps.fromMap(meta), null);
            }
            String name = choose(several, embodiment, uri);
            @SuppressWarnings("unchecked")
            Map<String, Object> one = (Map<String, Object>) several.get(name);
            return new RemotePolicy(c, MetadataMaps.fromMap(one), name);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The embodiment of {@code several} (the metadata's map) that {@code key} names. */
    private static String choose(Map<?, ?> several, String key, URI uri) {
        java.util.List<String> names = several.keySet().stream().map(String::valueOf).toList();
        if (key == null) {
            if (names.size() == 1) {
                return names.getFirst();
            }
            throw new InvalidInputException("policy server " + uri, EMBODIMENT, "the embodiment to drive, one of " + names
                    + " (the server serves several)", "none");
        }
        if (several.containsKey(key)) {
            return key;
        }
        for (Map.Entry<?, ?> e : several.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m && key.equals(m.get("env"))) {
                return String.valueOf(e.getKey());
            }
        }
        throw new InvalidInputException("policy server " + uri, EMBODIMENT, "one of the embodiments it serves " + names
                + " (or a simulator's name)", "'" + key + "'");
    }

    /** The embodiment this policy names in its requests; null on a server of one policy. */
    public String embodiment() {
        return embodiment;
    }

    @Override
    public PolicyMetadata metadata() {
        return metadata;
    }

    /** One request: the state history, and each camera's frames where the served policy reads cameras. */
    @Override
    public double[][] inferOne(PolicyObservation[] history) {
        if (history.length != metadata.observationSteps()) {
            throw new IllegalArgumentException("policy needs " + metadata.observationSteps() + " observations, got " + history.length);
        }
        Map<String, Object> request = Wire.request(metadata, history);
        if (embodiment != null) {
            request.put(EMBODIMENT, embodiment);
        }
        Map<String, Object> reply;
        try {
            reply = client.infer(request).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PolicyServerException("remote inference failed: " + e.getCause(), e.getCause());
        }
        if (!(reply.get(Wire.ACTIONS) instanceof NdArray actions) || !actions.dtype().isFloat()
                || !Arrays.equals(actions.shape(), new int[] {metadata.horizon(), metadata.actionDim()})) {
            throw new InvalidInputException("policy server reply", Wire.ACTIONS, "a float array of shape ["
                    + metadata.horizon() + ", " + metadata.actionDim() + "]", MsgpackNumpy.describe(reply.get(Wire.ACTIONS)));
        }
        return actions.toRows();
    }

    /** The underlying client, for requests beyond {@link #inferOne} (control messages, pipelining). */
    public PolicyClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
