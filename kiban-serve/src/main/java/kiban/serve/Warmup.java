package kiban.serve;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kiban.client.ClientOptions;
import kiban.client.MsgpackNumpy;
import kiban.client.PolicyClient;
import kiban.client.Wire;
import kiban.core.policy.ImageSpec;
import kiban.core.policy.Policy;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;

/**
 * Runs the server's own request path (decode a request as the network delivers it, run the
 * policy, pack the reply) before clients are let in, as TorchServe and Triton warm a model. The
 * JVM compiles a method only after thousands of calls, and compiles it on a core the clients and
 * the policy need: without this the first few thousand requests take half as long again and
 * their tail several times longer (docs/PERFORMANCE.md). {@link #run} warms the policy and the
 * codec in-process; {@link #overSocket} then sends the same requests through the server's own
 * WebSocket, where the server listens on loopback without TLS, to warm the network path too.
 */
public final class Warmup {

    /** Calls of a warm-up unless told otherwise; enough for the JIT compiler's last tier. */
    public static final int DEFAULT_CALLS = 3000;
    /** A slow policy (a camera, many flow steps) stops warming after this. */
    public static final int MAX_SECONDS = 3;

    /** How many calls ran, in how long. */
    public record Result(int calls, double millis) {}

    private Warmup() {}

    static Result run(Policy policy, int calls, int maxObjects) {
        PolicyMetadata m = policy.metadata();
        byte[] packed = MsgpackNumpy.pack(request(m));
        // The network hands requests over in direct buffers: warm that decoding path, not the heap one.
        ByteBuffer request = ByteBuffer.allocateDirect(packed.length).put(packed).flip();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        int done = 0;
        while (done < calls && System.nanoTime() < deadline) {
            PolicyObservation[] history = switch (Observations.decode(request.duplicate(), m, maxObjects)) {
                case Observations.Infer in -> in.history();
                case Observations.Step one -> new PolicyObservation[] {one.observation()}; // a policy of one observation
                case Observations.Control c -> throw new IllegalStateException("the warm-up request decoded as a control message");
            };
            long t0 = System.nanoTime();
            double[][] actions = policy.inferBatch(new PolicyObservation[][] {history})[0];
            PolicySocket.reply(actions, (System.nanoTime() - t0) / 1e6, Double.NaN, 1);
            done++;
        }
        return new Result(done, (System.nanoTime() - start) / 1e6);
    }

    /**
     * Sends {@code calls} requests (for at most {@link #MAX_SECONDS}) to the server at {@code uri}
     * with Kiban's client, one after the other, as a robot does.
     */
    static Result overSocket(URI uri, String apiKey, PolicyMetadata m, int calls) {
        Map<String, Object> request = request(m);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        int done = 0;
        ClientOptions options = ClientOptions.defaults().withApiKey(apiKey).withConnectTimeout(Duration.ofSeconds(MAX_SECONDS))
                .withNotices(notice -> {});
        try (PolicyClient client = PolicyClient.connect(uri, options)) {
            while (done < calls && System.nanoTime() < deadline) {
                client.infer(request).join();
                done++;
            }
        }
        return new Result(done, (System.nanoTime() - start) / 1e6);
    }

    /** A client's request of zeros: the state history and, where the policy reads cameras, black frames. */
    private static Map<String, Object> request(PolicyMetadata m) {
        Map<String, byte[]> black = new LinkedHashMap<>();
        for (ImageSpec s : m.images()) {
            black.put(s.name(), new byte[s.bytes()]);
        }
        PolicyObservation[] zeros = new PolicyObservation[m.observationSteps()];
        Arrays.fill(zeros, new PolicyObservation(new double[m.observationDim()], black));
        return Wire.request(m, zeros);
    }
}
