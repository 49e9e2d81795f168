package kiban.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kiban.client.MsgpackNumpy;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.PolicyMetadata;
import kiban.core.text.Suggest;

/**
 * How requests choose among the policies a server serves: a single-policy server reads every
 * request against its one policy's metadata (an {@code embodiment} key is ignored, as any other
 * key); a server of several embodiments reads each request's {@code embodiment} (an embodiment's
 * name or its simulator's) and checks the rest against that embodiment's metadata.
 */
final class Embodiments {

    /** The request key that names the embodiment. */
    static final String KEY = "embodiment";
    /** The longest name echoed back in an error: the peer's text is not trusted to be short. */
    private static final int MAX_ECHO = 64;

    /** Which policy a request is for, and the metadata its observation is checked against. */
    record Target(String embodiment, PolicyMetadata metadata) {}

    private final Map<String, PolicyMetadata> byName;
    private final Map<String, String> envs;
    private final boolean perRequest;

    private Embodiments(Map<String, PolicyMetadata> byName, Map<String, String> envs, boolean perRequest) {
        this.byName = byName;
        this.envs = envs;
        this.perRequest = perRequest;
    }

    static Embodiments of(ServedPolicies served) {
        Map<String, PolicyMetadata> m = new LinkedHashMap<>();
        served.byEmbodiment().forEach((name, p) -> m.put(name, p.metadata()));
        return new Embodiments(java.util.Collections.unmodifiableMap(m), served.envs(), served.perRequest());
    }

    /** A single-policy server's: every request is for {@code m}. */
    static Embodiments single(PolicyMetadata m) {
        return new Embodiments(Map.of(ServedPolicies.SINGLE, m), Map.of(), false);
    }

    boolean perRequest() {
        return perRequest;
    }

    /** Each embodiment's metadata, in the run's order (one entry, named "", for a single-policy server). */
    Map<String, PolicyMetadata> byName() {
        return byName;
    }

    /** The one policy's metadata, or the first embodiment's. */
    PolicyMetadata first() {
        return byName.values().iterator().next();
    }

    /** The target of a decoded msgpack request. */
    Target choose(Map<String, Object> request) {
        if (!perRequest) {
            return new Target(ServedPolicies.SINGLE, first());
        }
        Object v = request.get(KEY);
        return choose(v, v == null && !request.containsKey(KEY));
    }

    /**
     * The target {@code value} names; {@code absent} when the request had no such key. Anything else
     * is an {@link UnknownEmbodiment} naming the value and every embodiment served.
     */
    Target choose(Object value, boolean absent) {
        if (!perRequest) {
            return new Target(ServedPolicies.SINGLE, first());
        }
        if (value instanceof String s) {
            String name = byName.containsKey(s) ? s : envs.get(s);
            if (name != null) {
                return new Target(name, byName.get(name));
            }
            String shown = s.length() > MAX_ECHO ? s.substring(0, MAX_ECHO) + "... (" + s.length() + " characters)" : s;
            throw new UnknownEmbodiment(expected(), "'" + shown + "'" + Suggest.didYouMean(s, byName.keySet()));
        }
        throw refused(absent ? "no such key (this server serves several embodiments: each request names one)"
                : MsgpackNumpy.describe(value));
    }

    /** The error for a request whose {@code embodiment} is {@code got}, not a name served. */
    UnknownEmbodiment refused(String got) {
        return new UnknownEmbodiment(expected(), got);
    }

    private String expected() {
        List<String> names = List.copyOf(byName.keySet());
        String alias = envs.isEmpty() ? "" : " (or a simulator's name: " + String.join(", ", envs.keySet()) + ")";
        return "a string naming one of the embodiments served: " + String.join(", ", names) + alias;
    }

    /** A request that names no embodiment served: answered with an error, and the connection goes on. */
    static final class UnknownEmbodiment extends InvalidInputException {
        UnknownEmbodiment(String expected, String actual) {
            super("request", KEY, expected, actual);
        }
    }
}
