package kiban.serve;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kiban.core.error.KibanException;
import kiban.core.policy.Policy;
import kiban.policy.run.OneOfSeveralEmbodiments;
import kiban.policy.run.RunKind;
import kiban.policy.run.RunKinds;
import kiban.policy.run.ServedEmbodiment;

/**
 * What one server serves: one policy, as openpi's server does, or one policy per embodiment of a
 * run that serves several (a foundation run), each request choosing one by its {@code embodiment}
 * key. {@code envs} maps an embodiment's simulator name to the embodiment, so a request may name
 * either, as {@code --embodiment} does.
 */
public record ServedPolicies(Map<String, Policy> byEmbodiment, Map<String, String> envs, boolean perRequest) {

    /** The key of the one policy of a single-policy server. */
    static final String SINGLE = "";

    public ServedPolicies {
        if (byEmbodiment.isEmpty()) {
            throw new IllegalArgumentException("no policy to serve");
        }
        if (!perRequest && byEmbodiment.size() != 1) {
            throw new IllegalArgumentException("a single-policy server serves one policy, not " + byEmbodiment.keySet());
        }
        byEmbodiment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byEmbodiment));
        envs = Map.copyOf(envs);
    }

    /** One policy, for every request (openpi's server). */
    public static ServedPolicies one(Policy policy) {
        return new ServedPolicies(Map.of(SINGLE, policy), Map.of(), false);
    }

    /**
     * Every embodiment of the run in {@code dir}, in the run's order, each answering as
     * {@code --embodiment NAME} loads it. The network is loaded once: the first embodiment's policy
     * owns it and the others are its views ({@link OneOfSeveralEmbodiments#answeringFor}), so memory
     * does not grow with the number of embodiments; a run kind without views loads each anew. A run
     * that serves no several embodiments (a training run of one env, TorchScript) is refused: serve
     * it without {@code --embodiment all}.
     */
    public static ServedPolicies everyEmbodiment(Path dir) {
        RunKind kind = RunKinds.of(dir).orElseThrow(() -> new KibanException(dir + ": --embodiment all serves every "
                + "embodiment of a run that has several (a foundation run); this folder holds a policy of one, so serve it "
                + "without --embodiment"));
        List<ServedEmbodiment> all = kind.embodiments(dir);
        Map<String, Policy> policies = new LinkedHashMap<>();
        Map<String, String> envs = new LinkedHashMap<>();
        try {
            Policy owner = null;
            for (ServedEmbodiment e : all) {
                Policy p = owner instanceof OneOfSeveralEmbodiments several ? several.answeringFor(e.name())
                        : kind.load(dir, Optional.of(e.name()));
                owner = owner == null ? p : owner;
                policies.put(e.name(), p);
                if (!e.env().isEmpty() && !e.env().equals(e.name())) {
                    envs.merge(e.env(), e.name(), (a, b) -> ""); // an env two embodiments share names neither
                }
            }
        } catch (RuntimeException ex) {
            policies.values().forEach(Policy::close);
            throw ex;
        }
        envs.values().removeIf(String::isEmpty);
        envs.keySet().removeIf(policies::containsKey);
        return new ServedPolicies(policies, envs, true);
    }

    /** The one policy of a single-policy server, or the first embodiment's. */
    public Policy first() {
        return byEmbodiment.values().iterator().next();
    }

    /** The embodiments' names, in the run's order (empty for a single-policy server). */
    public List<String> names() {
        return perRequest ? List.copyOf(byEmbodiment.keySet()) : List.of();
    }

    /** The embodiment a request's {@code embodiment} value names (its name or its simulator's), or null. */
    String resolve(String name) {
        if (byEmbodiment.containsKey(name)) {
            return name;
        }
        return envs.get(name);
    }

    /** Closes every policy, going on past a failure so that none is left open. */
    void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Policy p : byEmbodiment.values()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
