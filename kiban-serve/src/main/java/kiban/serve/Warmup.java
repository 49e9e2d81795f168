package kiban.serve;

import java.net.URI;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /**
     * Calls of a warm-up unless told otherwise: HotSpot's last tier compiles a method once it has
     * been called about 5,000 times (Tier4InvocationThreshold), and a request calls most of its
     * path once.
     */
    public static final int DEFAULT_CALLS = 6000;
    /** A slow policy (a camera, many flow steps) stops warming after this, per part. */
    public static final int MAX_SECONDS = 10;

    /** The socket warm-up's requests per connection, and per ping. */
    static final int CALLS_PER_CONNECTION = 500;
    static final int CALLS_PER_PING = 50;
    /** The longest wait for the compiler to finish what the warm-up queued. */
    static final long MAX_QUIET_WAIT_MILLIS = 3000;

    /** How many calls ran, in how long. */
    public record Result(int calls, double millis) {}

    private Warmup() {}

    static Result run(Policy policy, int calls, int maxObjects) {
        return run(ServedPolicies.one(policy), calls, maxObjects);
    }

    /** Warms every policy served, taking turns, so that together they get {@code calls} requests. */
    static Result run(ServedPolicies served, int calls, int maxObjects) {
        Embodiments choices = Embodiments.of(served);
        List<ByteBuffer> requests = new ArrayList<>();
        List<Policy> policies = new ArrayList<>();
        choices.byName().forEach((e, m) -> {
            byte[] packed = MsgpackNumpy.pack(request(m, choices.perRequest() ? e : null));
            // The network hands requests over in direct buffers: warm that decoding path, not the heap one.
            requests.add(ByteBuffer.allocateDirect(packed.length).put(packed).flip());
            policies.add(served.byEmbodiment().get(e));
        });
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        int done = 0;
        while (done < calls && System.nanoTime() < deadline) {
            int turn = done % requests.size();
            ByteBuffer request = requests.get(turn);
            Policy policy = policies.get(turn);
            PolicyObservation[] history = switch (Observations.decode(request.duplicate(), choices, maxObjects)) {
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
     * Sends {@code calls} requests, and up to as many again while the JIT compiler is still busy
     * (for at most {@link #MAX_SECONDS}), to the server at {@code uri} with Kiban's client, one
     * after the other, as a robot does. It opens a new connection every
     * {@link #CALLS_PER_CONNECTION} requests and pings every {@link #CALLS_PER_PING}: the compiler
     * turns a branch it never saw taken into a trap, and a client's first close or ping would then
     * throw the server's compiled frame handling away just as clients arrive, to be compiled again
     * while they wait.
     */
    static Result overSocket(URI uri, String apiKey, Embodiments served, int calls) {
        List<Map<String, Object>> requests = new ArrayList<>();
        served.byName().forEach((e, m) -> requests.add(request(m, served.perRequest() ? e : null)));
        CompilationMXBean jit = compiler();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(MAX_SECONDS);
        int done = 0;
        ClientOptions options = ClientOptions.defaults().withApiKey(apiKey).withConnectTimeout(Duration.ofSeconds(MAX_SECONDS))
                .withNotices(notice -> {});
        // Past the calls asked for, go on (up to twice as many) while the compiler still finds work: it raises its
        // thresholds while its queue is long, so on a busy machine some of the path reaches the last tier only later.
        int perConnection = Math.min(CALLS_PER_CONNECTION, calls);
        boolean compiling = true;
        while ((done < calls || compiling && done < 2 * calls) && System.nanoTime() < deadline) {
            long compiledBefore = jit == null ? 0 : jit.getTotalCompilationTime();
            try (PolicyClient client = PolicyClient.connect(uri, options)) {
                for (int i = 0; i < perConnection && System.nanoTime() < deadline; i++, done++) {
                    if (i % CALLS_PER_PING == 0) {
                        client.ping().join();
                    }
                    client.infer(requests.get(done % requests.size())).join();
                }
            }
            compiling = jit != null && jit.getTotalCompilationTime() != compiledBefore;
        }
        return new Result(done, (System.nanoTime() - start) / 1e6);
    }

    /** The JIT compiler's bean where it reports its compile time, else null. */
    private static CompilationMXBean compiler() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit : null;
    }

    /**
     * Waits until the JIT compiler has finished what the warm-up queued (its total compile time
     * stands still for {@code 100 ms}), at most {@link #MAX_QUIET_WAIT_MILLIS}: on a small machine a
     * compiler still busy when clients arrive takes a core from them.
     */
    static void awaitQuietCompiler() {
        CompilationMXBean jit = compiler();
        if (jit == null) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_QUIET_WAIT_MILLIS);
        long last = -1;
        try {
            for (long now = jit.getTotalCompilationTime(); now != last && System.nanoTime() < until;
                    now = jit.getTotalCompilationTime()) {
                last = now;
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A client's request of zeros: the state history and, where the policy reads cameras, black
     * frames; naming {@code embodiment} unless it is null.
     */
    private static Map<String, Object> request(PolicyMetadata m, String embodiment) {
        Map<String, byte[]> black = new LinkedHashMap<>();
        for (ImageSpec s : m.images()) {
            black.put(s.name(), new byte[s.bytes()]);
        }
        PolicyObservation[] zeros = new PolicyObservation[m.observationSteps()];
        Arrays.fill(zeros, new PolicyObservation(new double[m.observationDim()], black));
        Map<String, Object> request = new LinkedHashMap<>(Wire.request(m, zeros));
        if (embodiment != null) {
            request.put(Embodiments.KEY, embodiment);
        }
        return request;
    }
}
