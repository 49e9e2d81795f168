package kiban.client;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletionException;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;

/**
 * A {@link Policy} served by a Kiban policy server: the metadata comes from the server's metadata
 * frame, and each {@link #infer} is one request. The history goes out as {@code observation.state}
 * in the layout {@link Wire} describes, in float64 so that the remote policy sees the very values a
 * local one would, with each camera's frames for a policy that reads cameras.
 */
public final class RemotePolicy implements Policy {

    private final PolicyClient client;
    private final PolicyMetadata metadata;

    private RemotePolicy(PolicyClient client, PolicyMetadata metadata) {
        this.client = client;
        this.metadata = metadata;
    }

    /** Connects (retrying until the server is up) and reads the policy's metadata. */
    public static RemotePolicy connect(URI uri, ClientOptions options) {
        PolicyClient c = PolicyClient.connect(uri, options);
        try {
            return new RemotePolicy(c, MetadataMaps.fromMap(c.metadata()));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public PolicyMetadata metadata() {
        return metadata;
    }

    @Override
    public double[][] infer(double[][] history) {
        if (!metadata.images().isEmpty()) {
            throw new IllegalArgumentException("the served policy reads camera images " + metadata.images().stream()
                    .map(ImageSpec::name).toList() + ", not just the state; give it observations with images");
        }
        return infer(PolicyObservation.of(history));
    }

    /** One request: the state history, and each camera's frames where the served policy reads cameras. */
    @Override
    public double[][] infer(PolicyObservation[] history) {
        if (history.length != metadata.observationSteps()) {
            throw new IllegalArgumentException("policy needs " + metadata.observationSteps() + " observations, got " + history.length);
        }
        Map<String, Object> request = Wire.request(metadata, history);
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

    /** The underlying client, for requests beyond {@link #infer} (control messages, pipelining). */
    public PolicyClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
